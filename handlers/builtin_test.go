package handlers

import (
	"context"
	"testing"

	"github.com/souk-commerce/souk/bot/catalog"
	"github.com/souk-commerce/souk/bot/whatsapp"
)

// TestOrderSummaryOfAnEmptyCart checks that order_summary does not confirm
// an empty cart: it says so and goes back as require_cart does, while a
// cart with items is summed up where it is.
func TestOrderSummaryOfAnEmptyCart(t *testing.T) {
	empty := &Conversation{State: "thanks", From: "pizzas", Start: "welcome"}
	if err := OrderSummary(context.Background(), empty); err != nil {
		t.Fatal(err)
	}
	if q := empty.Queued(); len(q) != 1 || q[0] != (whatsapp.Text{Body: EmptyCartText}) || empty.Redirected() != "pizzas" {
		t.Errorf("empty cart: sent %v, redirected to %q; want EmptyCartText and back to pizzas", q, empty.Redirected())
	}
	full := &Conversation{State: "thanks", From: "pizzas", Start: "welcome", Order: catalog.Order{
		Items: []catalog.Item{{ID: "p", Name: "P", Quantity: 2, Price: 1.5, Currency: "EUR", LineTotal: 3}},
		Total: 3, Currency: "EUR", Totals: []catalog.Amount{{Value: 3, Currency: "EUR"}}}}
	if err := OrderSummary(context.Background(), full); err != nil {
		t.Fatal(err)
	}
	if q := full.Queued(); len(q) != 1 || full.Redirected() != "" {
		t.Errorf("a cart: sent %v, redirected to %q; want its summary, staying", q, full.Redirected())
	}
}
