package flows

import (
	"strings"
	"testing"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

func TestCatalogLinkWithoutNumber(t *testing.T) {
	const src = "flow: r\nstart: a\nstates:\n  a:\n    send:\n      - text: hi\n      - catalog_link: {body: \"All we sell:\"}\n" +
		"    else: b\n  b:\n    send:\n      - catalog_link: {body: \"Ours: https://wa.me/c/15550000000\"}\n"
	f, diags := Parse("r.yaml", []byte(src), Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	tests := []struct {
		name, number string
		warnings     []string
		link         string // of state a's catalog_link
	}{
		{"no number: a warning at the link that needs it, and the placeholder",
			"", []string{"r.yaml:7:9: warning: state a: catalog_link needs the business number: set KALEYRA_NUMBER"}, NoNumberCatalogURL},
		{"blank number counts as none", "  ", []string{"r.yaml:7:9: warning:"}, NoNumberCatalogURL},
		{"a number: no warning, its link", "+91 98000 11122", nil, "https://wa.me/c/919800011122"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := f.NeedsBusinessNumber(tt.number)
			if len(got) != len(tt.warnings) {
				t.Fatalf("warnings = %v, want %d", got, len(tt.warnings))
			}
			for i, w := range tt.warnings {
				if !got[i].Warning || !strings.HasPrefix(got[i].String(), w) {
					t.Errorf("warning %d = %q, want prefix %q", i, got[i], w)
				}
			}
			m, err := f.States["a"].Send[1].Spec.Render(&Env{Data: &Data{}, BusinessNumber: tt.number})
			if err != nil {
				t.Fatal(err)
			}
			if want := "All we sell: " + tt.link; m.(whatsapp.CatalogLink).Body != want {
				t.Errorf("body = %q, want %q", m.(whatsapp.CatalogLink).Body, want)
			}
		})
	}
}
