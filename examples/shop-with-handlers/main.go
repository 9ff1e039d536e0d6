// Command shop-with-handlers is a souk binary of its own: the built-in
// handlers plus two written here, check_stock and book_slot. It runs the
// same CLI as souk:
//
//	go run ./examples/shop-with-handlers serve --flow examples/shop-with-handlers/flow.yaml
//	go run ./examples/shop-with-handlers validate examples/shop-with-handlers/flow.yaml
//	go run ./examples/shop-with-handlers test examples/shop-with-handlers/flow.yaml
//
// The conversation tests in flow.test.yaml need this binary's handlers, so
// `souk test` (built-in handlers only) cannot run them; main_test.go runs
// them in `go test` with registry, the same handlers main serves.
package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/souk-commerce/souk"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/handlers"
)

func main() { souk.Main(registry(newStock())) }

// registry is every handler this shop's flow may name.
func registry(s *Stock) *handlers.Registry {
	reg := handlers.NewRegistry()
	handlers.RegisterBuiltins(reg)
	reg.Register("check_stock", s)
	reg.Register("book_slot", handlers.WithTimeout(handlers.Func(bookSlot), 2*time.Second))
	return reg
}

// Stock is an in-memory stock list; a real shop would ask its inventory
// service here, within the declared timeout.
type Stock struct {
	mu   sync.Mutex
	left map[string]int
}

func newStock() *Stock {
	return &Stock{left: map[string]int{"tea-assam": 20, "tea-sencha": 2, "tea-rooibos": 0, "sn-shortbread": 50}}
}

// Timeout declares how long a stock check may take (handlers.Timeouter).
func (s *Stock) Timeout() time.Duration { return 3 * time.Second }

// Handle checks the cart against the stock. An empty cart, or one that is
// short of something, sends the shopper back to the teas with a word on
// why; otherwise the state's own message (the delivery-slot question)
// follows. (Not back to where the shopper came from, as require_cart does:
// a cart sent after booking comes from confirm, whose book_slot would run
// again.)
func (s *Stock) Handle(_ context.Context, c *handlers.Conversation) error {
	if c.Order.Empty() {
		c.Send(whatsapp.Text{Body: handlers.EmptyCartText})
		c.Redirect("teas")
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var short []string
	for _, it := range c.Order.Items {
		if left := s.left[it.ID]; it.Quantity > left {
			short = append(short, fmt.Sprintf("%s (%d left)", it.Name, left))
		}
	}
	if len(short) > 0 {
		c.Send(whatsapp.Text{Body: "Sorry, we are short of " + strings.Join(short, ", ") + ". Please change your cart."})
		c.Redirect("teas")
		return nil
	}
	c.Set("checked_total", c.Order.Total)
	return nil
}

// bookSlot stores the delivery slot the shopper tapped (or typed: c.Key is
// the `on` key either way) and sends the order summary.
func bookSlot(ctx context.Context, c *handlers.Conversation) error {
	slots := map[string]string{"morning": "tomorrow morning (8-12)", "evening": "tomorrow evening (17-21)"}
	slot, ok := slots[c.Key]
	if !ok {
		return fmt.Errorf("unknown delivery slot %q", c.Key)
	}
	c.Set("slot", slot)
	return handlers.OrderSummary(ctx, c)
}
