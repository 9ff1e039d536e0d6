package cli

import (
	"testing"

	"github.com/souk-commerce/souk/bot/catalog"
	"github.com/souk-commerce/souk/bot/whatsapp"
)

// TestCartPrices: /cart items take price and currency from the flow's
// products file unless they give their own.
func TestCartPrices(t *testing.T) {
	cat, problems := catalog.Load("../../examples/pizzeria/products.csv")
	if len(problems) > 0 || cat == nil {
		t.Fatalf("loading the pizzeria's products: %v", problems)
	}
	tests := []struct {
		name string
		cat  *catalog.Catalog
		item string
		want whatsapp.OrderItem
	}{
		{"known item: the catalogue's price and currency", cat, "pz-margherita:2",
			whatsapp.OrderItem{ID: "pz-margherita", Quantity: 2, Price: 9.5, Currency: "EUR"}},
		{"known item, own price: the catalogue's currency", cat, "pz-diavola:1:10",
			whatsapp.OrderItem{ID: "pz-diavola", Quantity: 1, Price: 10, Currency: "EUR"}},
		{"known item, own price and currency win", cat, "pz-marinara:3:5:usd",
			whatsapp.OrderItem{ID: "pz-marinara", Quantity: 3, Price: 5, Currency: "USD"}},
		{"known item, own currency only", cat, "pz-marinara:1::gbp",
			whatsapp.OrderItem{ID: "pz-marinara", Quantity: 1, Price: 8, Currency: "GBP"}},
		{"unknown item: 0 in the catalogue's currency", cat, "pz-nope:1",
			whatsapp.OrderItem{ID: "pz-nope", Quantity: 1, Price: 0, Currency: "EUR"}},
		{"no catalogue: 0 USD", nil, "pz-margherita:2",
			whatsapp.OrderItem{ID: "pz-margherita", Quantity: 2, Price: 0, Currency: "USD"}},
		{"no catalogue, own price", nil, "pz-margherita:2:9.5:eur",
			whatsapp.OrderItem{ID: "pz-margherita", Quantity: 2, Price: 9.5, Currency: "EUR"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseCartItem(tt.item, tt.cat)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("parseCartItem(%q) = %+v, want %+v", tt.item, got, tt.want)
			}
		})
	}
}
