package bottest

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestViewOfGolden(t *testing.T) {
	tests := []struct {
		name string
		file string
		want View
	}{
		{name: "text", file: "text.json", want: View{Kind: "text"}},
		{name: "list", file: "list.json", want: View{Kind: "list"}},
		{name: "buttons", file: "buttons.json", want: View{Kind: "buttons", Header: "Your cart", Footer: "Shipment from Kaleyra.",
			Body: "2 x Margherita, 1 x Lemonade. Shall we send it?", Buttons: []string{"confirm_order", "change_order", "cancel_order"}}},
		{name: "product", file: "product.json", want: View{Kind: "product"}},
		{name: "product_list", file: "product_list.json", want: View{Kind: "product_list", Header: "The products you want to order.",
			Body: "Checkout our delivery menu and place your order.", Footer: "Shipment from Kaleyra.", Catalog: "103xxxx49",
			Products: []string{"2lxxxx05pb", "3lxxxx05pd", "4lxxxx05pp", "5lxxxx0ccp"}}},
		{name: "catalog_link", file: "catalog_link.json", want: View{Kind: "catalog_link"}},
		{name: "template", file: "template.json", want: View{Kind: "template", Template: "abandoned_cart_offer", Language: "en_US",
			Products: []string{"nqrxxx03ez"}, Catalog: "194XXXXXXXX3835", Params: []string{"25OFF", "25%"}, Body: "25OFF 25%"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("..", "whatsapp", "testdata", "golden", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got := ViewOf(body)
			if got.To == "" {
				t.Errorf("ViewOf(%s).To is empty", tt.file)
			}
			got.To = ""
			if len(tt.want.Header+tt.want.Template+tt.want.Body) == 0 { // kind only
				if got.Kind != tt.want.Kind {
					t.Errorf("kind = %q, want %q", got.Kind, tt.want.Kind)
				}
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ViewOf(%s) =\n%+v\nwant\n%+v", tt.file, got, tt.want)
			}
		})
	}
	if v := ViewOf([]byte("{nope")); v.Kind != "invalid" {
		t.Errorf("ViewOf(bad JSON).Kind = %q", v.Kind)
	}
}

func TestMatch(t *testing.T) {
	list := View{Kind: "list", Header: "Menu", Body: "Hi Asha", Button: "Open", Rows: []string{"a", "b"}}
	tests := []struct {
		name   string
		want   Want
		fields []string
	}{
		{name: "kind only", want: Want{Kind: "list"}},
		{name: "all fields right", want: Want{Kind: "list", Header: "Menu", BodyContains: "Asha", Button: "Open", Rows: []string{"a", "b"}}},
		{name: "wrong kind", want: Want{Kind: "text"}, fields: []string{"kind"}},
		{name: "wrong header and rows", want: Want{Kind: "list", Header: "Menu!", Rows: []string{"b", "a"}}, fields: []string{"header", "rows"}},
		{name: "body does not contain", want: Want{Kind: "list", BodyContains: "Sam"}, fields: []string{"body_contains"}},
		{name: "empty rows wanted", want: Want{Kind: "list", Rows: []string{}}, fields: []string{"rows"}},
		{name: "exact body", want: Want{Kind: "list", Body: "Hi"}, fields: []string{"body"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, m := range Match(list, tt.want) {
				got = append(got, m.Field)
			}
			if !reflect.DeepEqual(got, tt.fields) {
				t.Errorf("mismatched fields %v, want %v", got, tt.fields)
			}
		})
	}
}

func TestDiff(t *testing.T) {
	sent := []View{{Kind: "list", Header: "Menu", Body: "Hi Asha", Rows: []string{"a", "b"}}}
	tests := []struct {
		name  string
		wants []Want
		want  string
	}{
		{name: "equal", wants: []Want{{Kind: "list", Header: "Menu"}}, want: ""},
		{name: "header", wants: []Want{{Kind: "list", Header: "Our menu"}}, want: `  [
    {
      "kind": "list",
-     "header": "Our menu",
+     "header": "Menu",
      "body": "Hi Asha",
      "rows": [
        "a",
        "b"
      ]
    }
  ]
`},
		{name: "missing message", wants: []Want{{Kind: "list"}, {Kind: "text", BodyContains: "bye"}}, want: `  [
    {
      "kind": "list",
      "header": "Menu",
      "body": "Hi Asha",
      "rows": [
        "a",
        "b"
      ]
-   },
-   {
-     "kind": "text",
-     "body_contains": "bye"
    }
  ]
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Diff(sent, tt.wants); got != tt.want {
				t.Errorf("Diff() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestCompareCounts(t *testing.T) {
	got := Compare([]View{{Kind: "text"}}, nil)
	if len(got) != 1 || !strings.Contains(got[0], "want 0 message(s) [], sent 1 [text]") {
		t.Errorf("Compare = %q", got)
	}
}
