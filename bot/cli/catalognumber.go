package cli

import (
	"log/slog"

	"github.com/souk-commerce/souk/flows"
)

// warnCatalogNumber logs a warning for each catalog_link of f that needs
// the business number when number (KALEYRA_NUMBER) is empty. Only a dry
// run gets this far without one: a real sender requires it.
func warnCatalogNumber(log *slog.Logger, f *flows.Flow, number string) {
	for _, d := range f.NeedsBusinessNumber(number) {
		log.Warn("KALEYRA_NUMBER is not set: catalogue links read "+flows.NoNumberCatalogURL, "diagnostic", d.String())
	}
}
