package bottest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/souk-commerce/souk/bot/bottest"
	"github.com/souk-commerce/souk/bot/kaleyra/kaleyratest"
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

// A raw webhook body, as Meta (or Kaleyra) would post it, goes through the
// decoder and the engine; the same body again is a redelivery that moves
// nothing.
func ExampleBot_Webhook() {
	b, _ := bottest.New(mustFlow(), bottest.Config{Handlers: registry()})
	defer b.Close()
	body := []byte(`{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
	 "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550000000","phone_number_id":"555"},
	 "contacts":[{"profile":{"name":"Ravi"},"wa_id":"919811122233"}],
	 "messages":[{"from":"919811122233","id":"wamid.hook.1","timestamp":"1736157600","type":"text","text":{"body":"hi"}}]}}]}]}`)

	r, err := b.Webhook(body)
	fmt.Println(err, r.Kinds(), r.Views()[0].Body, r.Result.To)
	r, _ = b.Webhook(body)
	fmt.Println(r.Result.Duplicate, len(r.Sent))
	// Output:
	// <nil> [buttons] Hi Ravi, what would you like? menu
	// true 0
}

// Seed puts a conversation mid-flow, with vars, before the first message.
func ExampleBot_Seed() {
	b, _ := bottest.New(mustFlow(), bottest.Config{Handlers: registry()})
	defer b.Close()
	s := b.Shopper("", "")
	if err := b.Seed(s.Phone, s.Name, "cake", map[string]any{"visits": 3}); err != nil {
		panic(err)
	}
	r := s.Cart(whatsapp.OrderItem{ID: "ck-choc", Quantity: 1, Price: 4, Currency: "EUR"})
	fmt.Println(r.Kinds(), s.State(), s.Vars()["visits"], s.Vars()["items"])
	// Output:
	// [text text] thanks 3 1
}

// ID fixes the next message's id: the same id twice is a redelivery, which
// moves nothing and sends nothing.
func ExampleShopper_ID() {
	b, _ := bottest.New(mustFlow(), bottest.Config{Handlers: registry()})
	defer b.Close()
	s := b.Shopper("", "")
	s.Text("hi")
	fmt.Println(s.ID("wamid.tap.1").Tap("cake").Kinds(), s.State())
	r := s.ID("wamid.tap.1").Tap("cake")
	fmt.Println(r.Kinds(), r.Result.Duplicate, s.State())
	// Output:
	// [product_list] cake
	// [] true cake
}

// The fake Kaleyra API answers the next send with an error: the reply is
// still recorded, with the client's error, and the conversation moves on.
func ExampleBot_failedSend() {
	b, _ := bottest.New(mustFlow(), bottest.Config{Handlers: registry()})
	defer b.Close()
	s := b.Shopper("", "")
	s.Text("hi")
	b.Kaleyra.FailNext(kaleyratest.Failure{Code: "E110"})
	r := s.Tap("tea")
	fmt.Println(r.Kinds(), r.Sent[0].Err != nil, s.State())
	fmt.Println(s.Text("back").Sent[0].Err)
	// Output:
	// [product] true tea
	// <nil>
}
