package handlers_test

import (
	"context"
	"fmt"
	"time"

	"github.com/souk-commerce/souk/bot/catalog"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/handlers"
)

// A handler reads the conversation, sets vars, queues messages and may
// redirect; the engine persists the vars and sends the messages.
func ExampleFunc() {
	greet := handlers.Func(func(ctx context.Context, c *handlers.Conversation) error {
		visits, _ := c.Vars["visits"].(float64) // vars come back as JSON values
		c.Set("visits", visits+1)
		if visits == 0 {
			c.Send(whatsapp.Text{Body: "Welcome, " + c.Name + "!"})
		}
		if c.Order.Empty() {
			c.Redirect("browse")
		}
		return nil
	})
	c := &handlers.Conversation{Name: "Asha", State: "welcome"}
	_ = greet.Handle(context.Background(), c)
	fmt.Println(c.Vars["visits"], c.Queued()[0].(whatsapp.Text).Body, c.Redirected())
	// Output: 1 Welcome, Asha! browse
}

// Register handlers by name on a registry, then hand it to souk.Main; the
// flow's `run:` names are checked against it by `souk validate`.
func ExampleRegistry() {
	reg := handlers.NewRegistry()
	handlers.RegisterBuiltins(reg)
	reg.Register("check_stock", handlers.Func(func(context.Context, *handlers.Conversation) error { return nil }))
	fmt.Println(reg.Names())
	// Output: [check_stock handoff opt_in opt_out order_summary require_cart]
}

// WithTimeout declares how long a handler may run; past it the move fails
// and the shopper gets the flow's error_text.
func ExampleWithTimeout() {
	slow := handlers.WithTimeout(handlers.Func(func(ctx context.Context, c *handlers.Conversation) error {
		return nil
	}), 2*time.Second)
	fmt.Println(handlers.TimeoutOf(slow))
	// Output: 2s
}

func ExampleSummary() {
	order, _ := catalog.Price(whatsapp.Order{Items: []whatsapp.OrderItem{
		{ID: "pz-margherita", Quantity: 2, Price: 9.5, Currency: "EUR"},
		{ID: "dr-lemonade", Quantity: 1, Price: 3, Currency: "EUR"},
	}}, nil)
	fmt.Println(handlers.Summary(order))
	// Output:
	// Your order:
	// 2 x pz-margherita @ 9.50 = 19.00 EUR
	// 1 x dr-lemonade @ 3.00 = 3.00 EUR
	// Total: 22.00 EUR
}
