package outbox

import (
	"encoding/json"
	"testing"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/store"
)

// BenchmarkCodecRoundTrip is what one reply costs in encoding between the
// engine and the POST: Encode, the store's entry JSON both ways, Decode and
// the request body.
func BenchmarkCodecRoundTrip(b *testing.B) {
	out := whatsapp.Outbound{ID: "0123456789abcdef0123456789abcdef", To: "919876543210", Message: whatsapp.List{
		Header: "Luigi's Pizzeria", Body: "Hi Asha! What are you craving?", Button: "Menu",
		Sections: []whatsapp.Section{{Title: "Order", Rows: []whatsapp.Row{{ID: "pizzas", Title: "Pizzas"}, {ID: "drinks", Title: "Drinks"}}}}}}
	b.ReportAllocs()
	for b.Loop() {
		m, err := Encode(out)
		if err != nil {
			b.Fatal(err)
		}
		entry, err := json.Marshal(m)
		if err != nil {
			b.Fatal(err)
		}
		var back store.OutMessage
		if err := json.Unmarshal(entry, &back); err != nil {
			b.Fatal(err)
		}
		o, err := Decode(back)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := o.Request(); err != nil {
			b.Fatal(err)
		}
	}
}
