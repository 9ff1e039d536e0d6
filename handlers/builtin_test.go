package handlers

import (
	"context"
	"fmt"
	"strings"
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

// TestSummary checks the summary's amounts (each currency's decimal
// places), without the shopper's note.
func TestSummary(t *testing.T) {
	o, _ := catalog.Price(whatsapp.Order{Text: "  ring twice ", Items: []whatsapp.OrderItem{
		{ID: "tea", Quantity: 3, Price: 1.235, Currency: "KWD"}, {ID: "mochi", Quantity: 2, Price: 350, Currency: "JPY"}}}, nil)
	want := "Your order:\n3 x tea @ 1.235 = 3.705 KWD\n2 x mochi @ 350 = 700 JPY\nTotal: 3.705 KWD\nTotal: 700 JPY"
	if got := Summary(o); got != want {
		t.Errorf("Summary() =\n%s\nwant\n%s", got, want)
	}
}

// TestSummaryTexts checks that a summary longer than one WhatsApp text
// is sent as several, each within the limit, all of it in order, and
// that a cart past any shopper's is cut short saying by how much.
func TestSummaryTexts(t *testing.T) {
	cart := func(n int) catalog.Order {
		var items []whatsapp.OrderItem
		for i := range n {
			items = append(items, whatsapp.OrderItem{ID: fmt.Sprintf("item-%03d-%s", i, strings.Repeat("x", 60)), Quantity: 2, Price: 12.5, Currency: "EUR"})
		}
		o, _ := catalog.Price(whatsapp.Order{Items: items}, nil)
		return o
	}
	long := cart(70)
	texts := SummaryTexts(long)
	if len(texts) != 2 || strings.Join(texts, "\n") != Summary(long) {
		t.Fatalf("%d texts; joined they differ from Summary", len(texts))
	}
	huge := SummaryTexts(cart(1000))
	if len(huge) != maxSummaryTexts || !strings.HasSuffix(huge[len(huge)-1], "more item(s)\nTotal: 25000.00 EUR") {
		t.Fatalf("%d texts, the last ending %q", len(huge), huge[len(huge)-1][max(0, len(huge[len(huge)-1])-60):])
	}
	for _, text := range append(texts, huge...) {
		if err := whatsapp.Validate(whatsapp.Text{Body: text}); err != nil {
			t.Fatal(err)
		}
	}
}
