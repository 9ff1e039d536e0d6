package flows

import (
	"strings"
	"testing"
)

// TestTemplateFieldHints checks that a misspelt field gets the field it
// most likely meant, an unknown one the fields where it was looked for,
// and a field written without its dot the dot.
func TestTemplateFieldHints(t *testing.T) {
	for _, tt := range []struct{ text, want string }{
		{"{{.Order.Totl}}", "can't evaluate field Totl in .Order (did you mean .Total?)"},
		{"{{.Phon}}", "can't evaluate field Phon in the template data (did you mean .Phone?)"},
		{"{{.Basket}}", "can't evaluate field Basket in the template data (fields: .Contact.Name, .Phone, .Vars, .Order, .Location, .Media)"},
		{"{{.Contact.Surname}}", "can't evaluate field Surname in .Contact (fields: .Name)"},
		{"{{range .Order.Items}}{{.Qty}}{{end}}", "can't evaluate field Qty in an item of .Order.Items"},
		{"{{Contact.Name}}", `function "Contact" not defined (a field starts with a dot: {{.Contact}})`},
	} {
		src := "flow: x\nstart: a\nstates:\n  a:\n    send:\n      - text: '" + tt.text + "'\n"
		_, diags := Parse("f.yaml", []byte(src), Options{})
		if !strings.Contains(diags.String(), tt.want) {
			t.Errorf("%s: %s\nwant it to say %s", tt.text, diags, tt.want)
		}
	}
}
