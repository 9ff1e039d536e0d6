package flows

import (
	"errors"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

// textFlow is a one-state flow whose state sends body as a text.
func textFlow(body string) string {
	return "flow: t\nstart: a\nstates:\n  a:\n    send:\n      - text: " + quoteYAML(body) + "\n"
}

func quoteYAML(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

func TestTemplateActionsRefused(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		wantCode string // "" = loads
	}{
		{"define", `{{define "x"}}hi{{end}}ok`, "template-action"},
		{"define only", `{{define "x"}}hi{{end}}`, "template-action"},
		{"template", `{{template "x"}}`, "template-action"},
		{"template with dot", `a {{template "x" .}} b`, "template-action"},
		{"block", `{{block "x" .}}hi{{end}}`, "template-action"},
		{"template inside if", `{{if .Phone}}{{template "x"}}{{end}}`, "template-action"},
		{"template inside range else", `{{range .Order.Items}}{{else}}{{template "x"}}{{end}}`, "template-action"},
		{"recursion", `{{define "a"}}{{template "a"}}{{end}}{{template "a"}}`, "template-action"},
		{"range over a huge number", `{{range 1000000000000}}{{end}}`, "slow-template"},
		{"nested ranges", `{{range 100000}}{{range 100000}}{{end}}{{end}}`, "slow-template"},
		{"plain field", `Hi {{.Contact.Name}}`, ""},
		{"range over items", `{{range .Order.Items}}{{.ID}} x{{.Quantity}} {{end}}`, ""},
		{"small range", `{{range 3}}*{{end}}`, ""},
		{"builtins", `{{printf "%.2f" .Order.Total}} {{len .Vars}} {{index .Vars "x"}} {{html .Phone}}`, ""},
		{"with and if", `{{with .Contact.Name}}{{.}}{{else}}friend{{end}}{{if eq .Phone ""}}-{{end}}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, diags := Parse("t.yaml", []byte(textFlow(tt.body)), Options{})
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("loading took %v", took)
			}
			var codes []string
			for _, d := range diags.Errors() {
				codes = append(codes, d.Code)
			}
			if tt.wantCode == "" {
				if len(codes) > 0 {
					t.Fatalf("unexpected diagnostics:\n%s", diags)
				}
				return
			}
			if len(codes) != 1 || codes[0] != tt.wantCode {
				t.Fatalf("codes %v, want [%s]:\n%s", codes, tt.wantCode, diags)
			}
			if got := diags.Errors()[0].String(); !strings.HasPrefix(got, "t.yaml:6:15: ") {
				t.Errorf("diagnostic %q is not at FILE:LINE:COL of the string", got)
			}
		})
	}
}

// compileOne compiles s as a flow string, failing on a diagnostic.
func compileOne(t *testing.T, s string) Str {
	t.Helper()
	w := &walker{file: "t.yaml"}
	str := Str{Raw: s, Pos: Pos{3, 7}}
	w.compileStr(&str, "body")
	if len(w.diags) > 0 {
		t.Fatalf("%s", w.diags)
	}
	return str
}

func TestRenderCaps(t *testing.T) {
	many := make([]whatsapp.OrderItem, 20000)
	for i := range many {
		many[i].Quantity = 1
	}
	tests := []struct {
		name    string
		tmpl    string
		data    *Data
		wantErr error
		maxTime time.Duration
	}{
		{"output over 64 KiB", `{{range .Order.Items}}{{printf "%100s" "x"}}{{end}}`, &Data{Order: priced(whatsapp.Order{Items: many})}, ErrRenderTooLarge, time.Second},
		{"wide printf", `{{printf "%999999d" 1}}`, &Data{}, ErrRenderTooLarge, time.Second},
		{"quadratic loop without output", `{{range .Order.Items}}{{range $.Order.Items}}{{end}}{{end}}`, &Data{Order: priced(whatsapp.Order{Items: many})}, ErrRenderTooSlow, MaxRenderTime + time.Second},
		{"range over a var", `{{range .Vars.n}}{{end}}`, &Data{Vars: map[string]any{"n": 1 << 40}}, ErrRenderTooSlow, MaxRenderTime + time.Second},
		{"in budget", `{{range .Order.Items}}{{end}}done`, &Data{Order: priced(whatsapp.Order{Items: many[:500]})}, nil, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := compileOne(t, tt.tmpl)
			start := time.Now()
			out, err := s.Render(tt.data)
			took := time.Since(start)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err %v, want %v", err, tt.wantErr)
			}
			if took > tt.maxTime {
				t.Errorf("took %v, want at most %v", took, tt.maxTime)
			}
			if err != nil && (out != "" || !strings.Contains(err.Error(), "line 3 col 7")) {
				t.Errorf("out %q, err %v: want nothing and the string's position", out, err)
			}
			if len(out) > MaxRendered {
				t.Errorf("rendered %d bytes", len(out))
			}
		})
	}
}

// TestTemplateDataMethods pins the methods a template can call on the data
// it is given: none may reach files, the network or the environment. A new
// method on these types must be checked and added here.
func TestTemplateDataMethods(t *testing.T) {
	want := []string{"whatsapp.Order.Currency", "whatsapp.Order.Total", "whatsapp.OrderItem.LineTotal"}
	var got []string
	for _, v := range []any{&Data{}, &Contact{}, &whatsapp.Order{}, &whatsapp.OrderItem{}} {
		typ := reflect.TypeOf(v)
		for i := range typ.NumMethod() {
			got = append(got, typ.Elem().String()+"."+typ.Method(i).Name)
		}
	}
	sort.Strings(got)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("template data methods %v, want %v", got, want)
	}
}
