package simulator

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// TestSendPricesCarts checks that a cart's webhook carries the catalogue's
// price and currency for the products it lists, looked up at each send.
func TestSendPricesCarts(t *testing.T) {
	var price atomic.Value
	price.Store(9.5)
	products := ProductsFunc(func(id string) (Product, bool) {
		if id != "pz-margherita" {
			return Product{}, false
		}
		return Product{Name: "Margherita", Price: price.Load().(float64), Currency: "INR"}, true
	})
	tests := []struct {
		name     string
		products Products
		newPrice float64 // set before sending, as a reloaded products file would
		items    string
		want     string // the webhook's product_items
	}{
		{"listed product: catalogue price and currency replace the page's", products, 9.5,
			`[{"product_retailer_id":"pz-margherita","quantity":2,"item_price":0,"currency":"EUR"}]`,
			`[{"product_retailer_id":"pz-margherita","quantity":2,"item_price":9.5,"currency":"INR"}]`},
		{"the catalogue as it is now", products, 10.25,
			`[{"product_retailer_id":"pz-margherita","quantity":1,"item_price":9.5,"currency":"INR"}]`,
			`[{"product_retailer_id":"pz-margherita","quantity":1,"item_price":10.25,"currency":"INR"}]`},
		{"unlisted product keeps the page's price; no currency gets the default", products, 9.5,
			`[{"product_retailer_id":"x-1","quantity":1,"item_price":2,"currency":"USD"},{"product_retailer_id":"x-2","quantity":1,"item_price":0,"currency":""}]`,
			`[{"product_retailer_id":"x-1","quantity":1,"item_price":2,"currency":"USD"},{"product_retailer_id":"x-2","quantity":1,"item_price":0,"currency":"EUR"}]`},
		{"no catalogue", nil, 9.5,
			`[{"product_retailer_id":"pz-margherita","quantity":1,"item_price":0,"currency":"EUR"}]`,
			`[{"product_retailer_id":"pz-margherita","quantity":1,"item_price":0,"currency":"EUR"}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			price.Store(tt.newPrice)
			hook := &fakeHook{}
			srv, _ := newTestSimulator(t, Config{Products: tt.products}, hook)
			action := `{"phone":"919876543210","name":"Asha","type":"order","catalog_id":"1033000049","items":` + tt.items + `}`
			res, err := http.Post(srv.URL+"/simulator/send", "application/json", strings.NewReader(action))
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK || len(hook.bodies) != 1 {
				t.Fatalf("status %d, %d webhooks", res.StatusCode, len(hook.bodies))
			}
			var env struct {
				Entry []struct {
					Changes []struct {
						Value struct {
							Messages []struct {
								Order struct {
									ProductItems json.RawMessage `json:"product_items"`
								} `json:"order"`
							} `json:"messages"`
						} `json:"value"`
					} `json:"changes"`
				} `json:"entry"`
			}
			if err := json.Unmarshal([]byte(hook.bodies[0]), &env); err != nil {
				t.Fatal(err)
			}
			if got := string(env.Entry[0].Changes[0].Value.Messages[0].Order.ProductItems); got != tt.want {
				t.Errorf("product_items = %s\nwant %s", got, tt.want)
			}
		})
	}
}
