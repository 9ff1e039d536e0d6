package souk_test

import (
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/bottest"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/handlers"
)

// TestCheckout is the bot/bottest example README.md shows, word for word
// (TestReadmeGoTestKit checks that), so the README's snippet compiles and
// passes.
func TestCheckout(t *testing.T) {
	reg := handlers.NewRegistry()
	handlers.RegisterBuiltins(reg) // and reg.Register("check_stock", ...) for your own

	b := bottest.Start(t, "examples/pizzeria/flow.yaml", bottest.Config{Handlers: reg})
	asha := b.Shopper("919876543210", "Asha")

	r := asha.Text("hi")
	bottest.AssertSent(t, r, bottest.Want{Kind: "list", BodyContains: "Asha", Rows: []string{"pizzas", "drinks", "catalogue", "help"}})
	r = asha.Tap("pizzas")
	bottest.AssertKinds(t, r, "product_list")
	r = asha.Cart(whatsapp.OrderItem{ID: "pz-margherita", Quantity: 2, Price: 9.5, Currency: "EUR"})
	bottest.AssertSent(t, r, bottest.Want{Kind: "text", BodyContains: "Total: 19.00 EUR"}, bottest.Want{Kind: "text"})
	bottest.AssertState(t, asha, "thanks")
	_ = r.Messages()             // the typed whatsapp.Message values
	_ = r.Bodies()               // the exact request JSON
	asha.Advance(25 * time.Hour) // the session expires
	bottest.AssertKinds(t, asha.Text("hello"), "list")
}
