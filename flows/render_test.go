package flows

import (
	"reflect"
	"strings"
	"testing"

	"github.com/souk-commerce/souk/bot/catalog"
	"github.com/souk-commerce/souk/bot/whatsapp"
)

func priced(o whatsapp.Order) catalog.Order {
	p, _ := catalog.Price(o, nil)
	return p
}

func TestRender(t *testing.T) {
	order := whatsapp.Order{Text: "no onions", Items: []whatsapp.OrderItem{
		{ID: "pz-1", Quantity: 2, Price: 9.5, Currency: "EUR"}, {ID: "dr-1", Quantity: 1, Price: 3, Currency: "EUR"}}}
	env := &Env{Data: &Data{Contact: Contact{Name: "Asha"}, Phone: "919876543210",
		Vars: map[string]any{"slot": "19:00"}, Order: priced(order)}, Catalog: "111", BusinessNumber: "919800011122"}
	tests := []struct {
		name string
		src  string
		want whatsapp.Message
	}{
		{"plain text", `text: hello`, whatsapp.Text{Body: "hello"}},
		{"contact and phone", `text: "Hi {{.Contact.Name}} ({{.Phone}})"`, whatsapp.Text{Body: "Hi Asha (919876543210)"}},
		{"vars and a missing var", `text: "at {{.Vars.slot}}{{.Vars.missing}}"`, whatsapp.Text{Body: "at 19:00"}},
		{"order", `text: "{{range .Order.Items}}{{.Quantity}}x{{.ID}}@{{.Price}}{{.Currency}} {{end}}= {{.Order.Total}} {{.Order.Currency}} / {{.Order.Text}}"`,
			whatsapp.Text{Body: "2xpz-1@9.5EUR 1xdr-1@3EUR = 22 EUR / no onions"}},
		{"text with preview", `text: {body: "see https://x.example", preview_url: true}`, whatsapp.Text{Body: "see https://x.example", PreviewURL: true}},
		{"catalog link appended", `catalog_link: {body: "All we sell:"}`, whatsapp.CatalogLink{Body: "All we sell: https://wa.me/c/919800011122", PreviewURL: true}},
		{"catalog link kept", `catalog_link: {body: "https://wa.me/c/1 here", preview_url: false}`, whatsapp.CatalogLink{Body: "https://wa.me/c/1 here"}},
		{"product uses the flow catalog", `product: {product: p1}`, whatsapp.Product{CatalogID: "111", ProductID: "p1"}},
		{"product overrides the catalog", `product: {product: p1, catalog: "222", body: "{{.Contact.Name}}"}`, whatsapp.Product{CatalogID: "222", ProductID: "p1", Body: "Asha"}},
		{"button ids trimmed, as taps are matched", `buttons: {body: b, buttons: [{id: " yes ", title: Yes}, {id: "{{.Vars.slot}} ", title: At}]}`,
			whatsapp.Buttons{Body: "b", Buttons: []whatsapp.Button{{ID: "yes", Title: "Yes"}, {ID: "19:00", Title: "At"}}}},
		{"template", `template: {name: t, language: en, product: p1, body: ["{{.Contact.Name}}", "10%"]}`,
			whatsapp.Template{Name: "t", Language: "en", CatalogID: "111", ProductID: "p1", BodyParams: []string{"Asha", "10%"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "flow: r\nstart: a\ncatalog: \"111\"\nstates:\n  a:\n    send:\n      - " + tt.src + "\n"
			f, diags := Parse("r.yaml", []byte(src), Options{})
			if diags.HasErrors() {
				t.Fatalf("flow errors:\n%s", diags)
			}
			got, err := f.States["a"].Send[0].Spec.Render(env)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("rendered %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestRenderTooLarge(t *testing.T) {
	src := "flow: r\nstart: a\ncatalog: \"111\"\nstates:\n  a:\n    send:\n      - text: \"{{range .Vars.many}}{{.}}{{end}}\"\n"
	f, diags := Parse("r.yaml", []byte(src), Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	many := make([]any, 70000)
	for i := range many {
		many[i] = "x"
	}
	_, err := f.States["a"].Send[0].Spec.Render(&Env{Data: &Data{Vars: map[string]any{"many": many}}})
	if err == nil {
		t.Fatal("a 70 KB rendering was accepted")
	}
}

// TestDefaultsFor checks that the flow's templated defaults are rendered
// per conversation, and that one failing to render is left empty with its
// error while the others still render.
func TestDefaultsFor(t *testing.T) {
	src := "flow: t\nstart: a\ncatalog: \"c-{{.Vars.region}}\"\n" +
		"extra_info: {ref1: \"{{index .Vars.codes 1}}\", ref2: \"p-{{.Phone}}\", wa_source: api}\nstates:\n  a: {send: [text: hi]}\n"
	f, diags := Parse("f.yaml", []byte(src), Options{})
	if diags.HasErrors() || !f.Templated() {
		t.Fatalf("diags %v, templated %v", diags, f.Templated())
	}
	ok, err := f.DefaultsFor(&Data{Phone: "91", Vars: map[string]any{"region": "eu", "codes": []any{"x", "y"}}})
	if err != nil || ok.Catalog != "c-eu" || ok.ExtraInfo.Ref1 != "y" || ok.ExtraInfo.Ref2 != "p-91" || ok.ExtraInfo.WASource != "api" {
		t.Errorf("DefaultsFor = %+v, %v", ok, err)
	}
	bad, err := f.DefaultsFor(&Data{Phone: "91", Vars: map[string]any{"codes": []any{"x"}}})
	if err == nil || !strings.Contains(err.Error(), "extra_info.ref1") || bad.ExtraInfo.Ref1 != "" || bad.ExtraInfo.Ref2 != "p-91" {
		t.Errorf("DefaultsFor with a failing ref1 = %+v, %v", bad, err)
	}
	plain, _ := Parse("f.yaml", []byte("flow: t\nstart: a\ncatalog: c1\nstates:\n  a: {send: [text: hi]}\n"), Options{})
	if d, err := plain.DefaultsFor(nil); plain.Templated() || err != nil || d.Catalog != "c1" {
		t.Errorf("plain flow: templated %v, DefaultsFor = %+v, %v", plain.Templated(), d, err)
	}
}
