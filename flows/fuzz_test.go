package flows

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

// flowSeeds returns every flow file of the examples and of testdata.
func flowSeeds(f *testing.F) [][]byte {
	var out [][]byte
	for _, pattern := range []string{"../examples/*/*.yaml", "testdata/*.yaml", "testdata/*/*.yaml"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, name := range files {
			b, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			out = append(out, b)
		}
	}
	if len(out) == 0 {
		f.Fatal("no seed flows found")
	}
	return out
}

// fuzzData is what fuzzed flows render with.
func fuzzData(s string) *Data {
	return &Data{Contact: Contact{Name: s}, Phone: "919876543210", Vars: map[string]any{"x": s, "n": 3.0},
		Order: priced(whatsapp.Order{Items: []whatsapp.OrderItem{{ID: s, Quantity: 2, Price: 1.5, Currency: "EUR"}}})}
}

// FuzzParse loads and validates arbitrary flow files: the loader never
// panics, puts every diagnostic at a position, and a flow without errors
// compiles and renders within the caps.
func FuzzParse(f *testing.F) {
	for _, b := range flowSeeds(f) {
		f.Add(b)
	}
	f.Add([]byte("flow: x\nstart: a\nstates: {a: {send: [{text: '{{range 99999999999}}{{end}}'}]}}\n"))
	f.Add([]byte("a: &a [*a, *a]\nb: *a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var fl *Flow
		var diags Diagnostics
		within(t, 5*time.Second, func() {
			fl, diags = Parse("fuzz.yaml", data, Options{HasHandler: func(string) bool { return true }})
		})
		for _, d := range diags {
			if d.Code == "" || d.Pos.Line < 1 || d.Pos.Col < 1 {
				t.Fatalf("diagnostic without code or position: %#v", d)
			}
		}
		if diags.HasErrors() {
			return
		}
		if fl == nil || fl.States[fl.Start.State] == nil || fl.Events() == nil {
			t.Fatalf("flow without errors is not usable: %+v", fl)
		}
		env := &Env{Data: fuzzData("Asha"), Catalog: fl.Catalog, BusinessNumber: "919800011122"}
		for _, st := range fl.States {
			for _, s := range st.Send {
				checkRender(t, func() error { _, err := s.Spec.Render(env); return err })
			}
		}
	})
}

// FuzzTemplate compiles and renders arbitrary flow strings with arbitrary
// data: no panic, output within MaxRendered, time within MaxRenderTime.
func FuzzTemplate(f *testing.F) {
	seeds := []string{
		"Hi {{.Contact.Name}}!", "{{range .Order.Items}}{{.ID}} x{{.Quantity}}{{end}}",
		`{{printf "%.2f" .Order.Total}} {{.Order.Currency}}`, `{{index .Vars "x"}}`, `{{with .Vars.x}}{{.}}{{end}}`,
		`{{range $i, $e := .Order.Items}}{{if $i}}, {{end}}{{$e.ID}}{{end}}`, `{{len .Contact.Name}}`,
		`{{define "a"}}{{end}}`, `{{template "a"}}`, `{{range 1000000000}}{{end}}`, `{{slice .Phone 1 3}}`,
	}
	for _, s := range seeds {
		f.Add(s, "Asha")
	}
	for _, b := range flowSeeds(f) {
		f.Add(string(b), "\x00\u202e🍕")
	}
	f.Fuzz(func(t *testing.T, tmpl, value string) {
		w := &walker{file: "fuzz.yaml"}
		s := Str{Raw: tmpl, Pos: Pos{1, 1}}
		w.compileStr(&s, "body")
		if len(w.diags) > 0 {
			return
		}
		checkRender(t, func() error {
			out, err := s.Render(fuzzData(value))
			if len(out) > MaxRendered {
				t.Fatalf("rendered %d bytes", len(out))
			}
			return err
		})
	})
}

// checkRender runs render and fails when it takes far longer than the
// time cap; errors are allowed (bad index, too large, too slow).
func checkRender(t *testing.T, render func() error) {
	t.Helper()
	within(t, MaxRenderTime+2*time.Second, func() { _ = render() })
}

// within fails the test when fn runs longer than d.
func within(t *testing.T, d time.Duration, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("still running after %v", d)
	}
}
