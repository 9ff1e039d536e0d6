package chatview_test

import (
	"fmt"
	"testing"

	"github.com/souk-commerce/souk/bot/chatview"
	"github.com/souk-commerce/souk/bot/whatsapp"
)

func TestRender(t *testing.T) {
	tests := []struct {
		name string
		msg  whatsapp.Message
		want string
	}{
		{"text with lines", whatsapp.Text{Body: "Hi\nthere"}, "┌ text\n│ Hi\n│ there\n└\n"},
		{"pointer renders as value", &whatsapp.Text{Body: "Hi"}, "┌ text\n│ Hi\n└\n"},
		{"nil pointer", (*whatsapp.Text)(nil), "┌ (no message)\n└\n"},
		{"catalogue link shows the link", whatsapp.CatalogLink{Body: "All: https://wa.me/c/15550100100"},
			"┌ catalog_link\n│ All: https://wa.me/c/15550100100\n└\n"},
		{"list shows sections and row ids", whatsapp.List{Header: "Menu", Body: "Pick", Footer: "Thanks", Button: "Open",
			Sections: []whatsapp.Section{{Title: "Food", Rows: []whatsapp.Row{{ID: "pz", Title: "Pizza", Description: "Hot"}, {ID: "dr", Title: "Drink"}}}}},
			"┌ list · Menu\n│ Pick\n│ — Thanks\n│ ≡ Open\n│   Food\n│     [pz] Pizza — Hot\n│     [dr] Drink\n└\n"},
		{"buttons show ids", whatsapp.Buttons{Body: "Sure?", Buttons: []whatsapp.Button{{ID: "y", Title: "Yes"}, {ID: "n", Title: "No"}}},
			"┌ buttons\n│ Sure?\n│   [y] Yes\n│   [n] No\n└\n"},
		{"product shows retailer id", whatsapp.Product{CatalogID: "42", ProductID: "sku-1", Body: "Fresh", Footer: "330 ml"},
			"┌ product · [sku-1] · catalog 42\n│ Fresh\n│ — 330 ml\n└\n"},
		{"product list shows retailer ids", whatsapp.ProductList{CatalogID: "42", Header: "Ours", Body: "Add",
			Sections: []whatsapp.ProductSection{{Title: "All", ProductIDs: []string{"a", "b"}}}},
			"┌ product_list · Ours · catalog 42\n│ Add\n│   All\n│     [a]\n│     [b]\n└\n"},
		{"template shows name, product and params", whatsapp.Template{Name: "promo", Language: "en_US", CatalogID: "42", ProductID: "sku-1", BodyParams: []string{"Asha", "20%"}},
			"┌ template · promo (en_US) · [sku-1] · catalog 42\n│ params: Asha | 20%\n└\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := chatview.Render(tc.msg); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

func ExampleRender() {
	fmt.Print(chatview.Render(whatsapp.Buttons{Body: "Hungry?",
		Buttons: []whatsapp.Button{{ID: "yes", Title: "Yes!"}}}))
	// Output:
	// ┌ buttons
	// │ Hungry?
	// │   [yes] Yes!
	// └
}
