package bottest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/souk-commerce/souk/bot/bottest"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/handlers"
)

const shop = `
flow: shop
start: menu
catalog: "42"
session_ttl: 1h
states:
  menu:
    send:
      - buttons:
          body: "Hi {{.Contact.Name}}, what would you like?"
          buttons: [{id: tea, title: Tea}, {id: cake, title: Cake}]
    on: {tea: tea, cake: cake}
  tea:
    send:
      - product: {product: tea-green, body: Freshly brewed}
    order: thanks
    on: {back: menu}
  cake:
    send:
      - product_list:
          header: Cakes
          body: Pick some
          sections: [{title: Today, products: [ck-lemon, ck-choc]}]
    order: thanks
  thanks:
    run: count_order
    send:
      - text: "Thanks {{.Contact.Name}}!"
`

// mustFlow compiles the example flow; handler names are not checked here.
func mustFlow() *flows.Flow {
	f, diags := flows.Parse("shop.yaml", []byte(shop), flows.Options{})
	if diags.HasErrors() {
		panic(diags)
	}
	return f
}

func registry() *handlers.Registry {
	reg := handlers.NewRegistry()
	reg.Register("count_order", handlers.Func(func(_ context.Context, c *handlers.Conversation) error {
		c.Set("items", len(c.Order.Items))
		c.Send(whatsapp.Text{Body: fmt.Sprintf("%d item(s), %.2f %s", len(c.Order.Items), c.Order.Total, c.Order.Currency)})
		return nil
	}))
	return reg
}

// A shopper says hi, taps a button, and sends a cart; each step returns
// what souk sent, read from the request that went to the fake Kaleyra API.
func Example() {
	b, err := bottest.New(mustFlow(), bottest.Config{Handlers: registry()})
	if err != nil {
		panic(err)
	}
	defer b.Close()
	asha := b.Shopper("919876543210", "Asha")

	r := asha.Text("hello")
	fmt.Println(r.Kinds(), r.Views()[0].Buttons, r.Views()[0].Body)

	r = asha.Tap("cake")
	fmt.Println(r.Kinds(), r.Views()[0].Products, asha.State())

	r = asha.Cart(whatsapp.OrderItem{ID: "ck-lemon", Quantity: 2, Price: 3.5, Currency: "EUR"})
	fmt.Println(r.Kinds(), r.Views()[0].Body, asha.Vars())
	fmt.Println(r.Sent[1].Request.Method, r.Sent[1].Request.Path)
	// Output:
	// [buttons] [tea cake] Hi Asha, what would you like?
	// [product_list] [ck-lemon ck-choc] cake
	// [text text] 1 item(s), 7.00 EUR map[items:1]
	// POST /v2/SOUKTEST/whatsapp/15550000000/messages
}

// After the session TTL (1h in this flow) the next message starts over.
func ExampleShopper_Advance() {
	b, _ := bottest.New(mustFlow(), bottest.Config{Handlers: registry()})
	defer b.Close()
	sam := b.Shopper("", "") // bottest.DefaultPhone, bottest.DefaultName
	sam.Text("hi")
	sam.Tap("tea")
	fmt.Println(sam.State())

	sam.Advance(30 * time.Minute)
	fmt.Println(sam.Text("back").Kinds(), sam.State()) // still in time: `back` works

	sam.Tap("tea")
	sam.Advance(2 * time.Hour)
	fmt.Println(sam.Text("back").Kinds(), sam.State()) // expired: starts over
	// Output:
	// tea
	// [buttons] menu
	// [buttons] menu
}

// A stale tap: an id the last message did not offer. The menu has no
// `else`, so it is sent again.
func ExampleShopper_Tap() {
	b, _ := bottest.New(mustFlow(), bottest.Config{Handlers: registry()})
	defer b.Close()
	s := b.Shopper("", "")
	s.Text("hi")
	r := s.Tap("ck-old-offer")
	fmt.Println(r.Kinds(), r.Result.Trigger.Step, s.State())
	// Output:
	// [buttons] reenter menu
}
