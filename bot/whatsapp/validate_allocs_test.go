package whatsapp_test

import (
	"fmt"
	"testing"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

// validMessages are valid messages of the kinds whose checks loop over
// items, at the sizes a shop sends.
var validMessages = []struct {
	name string
	msg  whatsapp.Message
}{
	{"list", whatsapp.List{Header: "Luigi's Pizzeria", Body: "What are you craving?", Button: "Menu", Sections: []whatsapp.Section{
		{Title: "Pizzas", Rows: []whatsapp.Row{{ID: "margherita", Title: "Margherita", Description: "Tomato, mozzarella, basil"},
			{ID: "diavola", Title: "Diavola"}, {ID: "funghi", Title: "Funghi"}, {ID: "quattro", Title: "Quattro formaggi"}}},
		{Title: "Drinks", Rows: []whatsapp.Row{{ID: "lemonade", Title: "Lemonade"}, {ID: "cola", Title: "Cola"},
			{ID: "water", Title: "Water"}, {ID: "beer", Title: "Beer"}, {ID: "wine", Title: "Wine"}, {ID: "coffee", Title: "Coffee"}}}}}},
	{"product_list", whatsapp.ProductList{CatalogID: "103xxxx49", Header: "Our menu", Body: "Pick your favourites", Sections: []whatsapp.ProductSection{
		{Title: "Pizza", ProductIDs: productIDs("pizza", 5)}, {Title: "Beverage", ProductIDs: productIDs("drink", 5)}}}},
	{"buttons", whatsapp.Buttons{Header: "Your cart", Body: "Shall we send it?", Footer: "Luigi's",
		Buttons: []whatsapp.Button{{ID: "confirm", Title: "Confirm"}, {ID: "change", Title: "Change"}, {ID: "cancel", Title: "Cancel"}}}},
	{"template", whatsapp.Template{Name: "abandoned_cart_offer", Language: "en_US", CatalogID: "194XXXXXXXX3835",
		ProductID: "nqrxxx03ez", BodyParams: []string{"25OFF", "25%"}}},
}

func productIDs(prefix string, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%s-%d", prefix, i)
	}
	return ids
}

// TestValidateAllocs checks that Validate of a valid message allocates
// nothing: field names are only built for a problem, and the id sets of
// valid messages fit on the stack.
func TestValidateAllocs(t *testing.T) {
	for _, tt := range validMessages {
		t.Run(tt.name, func(t *testing.T) {
			if err := whatsapp.Validate(tt.msg); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			allocs := testing.AllocsPerRun(100, func() { _ = whatsapp.Validate(tt.msg) })
			if allocs > 0 {
				t.Errorf("Validate allocates %v times per call, want 0", allocs)
			}
		})
	}
}
