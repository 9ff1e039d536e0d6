package flows

import (
	"fmt"
	"strings"
)

// NoNumberCatalogURL is the catalogue link rendered when no business number
// is configured (a dry run without KALEYRA_NUMBER). It names what is missing
// rather than rendering https://wa.me/c/ with no number, which opens nothing.
// A real sender never sees it: KALEYRA_API_KEY requires KALEYRA_NUMBER.
const NoNumberCatalogURL = "https://wa.me/c/KALEYRA_NUMBER-not-set"

// catalogURLPrefix is what a body holding its own catalogue link contains.
const catalogURLPrefix = "https://wa.me/c/"

// NeedsBusinessNumber returns a diagnostic for each catalog_link whose body
// has no https://wa.me/c/ link of its own, so that its rendering appends the
// business number's link, when number is empty. The diagnostics are
// warnings: the number is deployment configuration, not part of the flow,
// so `souk validate` does not ask for it; `souk serve` and `souk chat` print
// these at start.
func (f *Flow) NeedsBusinessNumber(number string) Diagnostics {
	if f == nil || strings.TrimSpace(number) != "" {
		return nil
	}
	var out Diagnostics
	for _, name := range f.StateNames {
		for _, s := range f.States[name].Send {
			c, ok := s.Spec.(*CatalogLinkSpec)
			if !ok || strings.Contains(c.Body.Raw, catalogURLPrefix) {
				continue
			}
			out = append(out, Diagnostic{File: f.File, Pos: s.Pos, Code: "catalog-link-no-number", Warning: true,
				Message: fmt.Sprintf("state %s: catalog_link needs the business number: set KALEYRA_NUMBER (until then the link reads %s)", name, NoNumberCatalogURL)})
		}
	}
	return out
}
