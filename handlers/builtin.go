package handlers

import (
	"context"
	"fmt"
	"strings"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

// RegisterBuiltins adds the handlers every shop can use by name:
//
//	order_summary  sends the last cart as a text with line totals and the total
func RegisterBuiltins(r *Registry) {
	r.Register("order_summary", Func(orderSummary))
}

func orderSummary(_ context.Context, c *Conversation) error {
	if len(c.Order.Items) == 0 {
		c.Send(whatsapp.Text{Body: "Your cart is empty."})
		return nil
	}
	c.Send(whatsapp.Text{Body: Summary(c.Order)})
	return nil
}

// Summary renders an order as plain text: one line per item and the total.
func Summary(o whatsapp.Order) string {
	var b strings.Builder
	b.WriteString("Your order:\n")
	for _, it := range o.Items {
		fmt.Fprintf(&b, "%d x %s  %.2f %s\n", it.Quantity, it.ID, it.LineTotal(), it.Currency)
	}
	fmt.Fprintf(&b, "Total: %.2f %s", o.Total(), o.Currency())
	return b.String()
}
