package handlers

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/souk-commerce/souk/bot/catalog"
	"github.com/souk-commerce/souk/bot/whatsapp"
)

// Names the opt_out and opt_in built-ins are registered under; a keyword
// leading to a state that runs one works on a shopper's first message too.
const (
	OptOutName = "opt_out"
	OptInName  = "opt_in"
)

// Texts the built-in handlers send.
const (
	EmptyCartText = "Your cart is empty. Add something from the catalogue and send it to us."
)

// RegisterBuiltins adds the handlers every shop can use by name:
//
//	order_summary  sends the last cart as text: one line per item with names
//	               from the catalogue, unit price and line total, then the total;
//	               an empty cart is handled as require_cart handles it
//	require_cart   a guard: with an empty cart it says so and redirects back
//	               to the state the shopper came from (or the flow's start)
//	handoff        pauses the bot for this shopper until an operator resumes
//	               it (souk handoff resume PHONE, or POST /operator/handoff/resume)
//	opt_out        no more idle reminders or re-engagement templates for this
//	               shopper, whatever the conversation, until opt_in runs
//	opt_in         undoes opt_out
func RegisterBuiltins(r *Registry) {
	r.Register("order_summary", Func(OrderSummary))
	r.Register("require_cart", Func(RequireCart))
	r.Register("handoff", Func(Handoff))
	r.Register(OptOutName, Func(OptOut))
	r.Register(OptInName, Func(OptIn))
}

// OrderSummary sends the last cart as a text with line totals and the
// total; the state's own messages follow. An empty cart (nothing, or only
// quantities of zero) is no order to confirm: as RequireCart does, it
// gets EmptyCartText and goes back to where the shopper came from.
func OrderSummary(ctx context.Context, c *Conversation) error {
	if c.Order.Empty() {
		return RequireCart(ctx, c)
	}
	for _, text := range SummaryTexts(c.Order) {
		c.Send(whatsapp.Text{Body: text})
	}
	return nil
}

// RequireCart lets the move through when the shopper has a cart; otherwise
// it sends EmptyCartText and redirects to the state the shopper came from,
// or to the flow's start. Going back enters that state again, running its
// handler too: where that is not wanted, redirect to a state of your own.
func RequireCart(_ context.Context, c *Conversation) error {
	if !c.Order.Empty() {
		return nil
	}
	c.Send(whatsapp.Text{Body: EmptyCartText})
	back := c.From
	if back == "" || back == c.State {
		back = c.Start
	}
	if back != c.State {
		c.Redirect(back)
	}
	return nil
}

// Handoff hands the conversation to a person: the bot stops answering this
// shopper once the move is committed, until an operator resumes it. The
// state's own messages are still sent, so say there who will answer.
func Handoff(_ context.Context, c *Conversation) error {
	c.Handoff()
	return nil
}

// OptOut records that the shopper wants no messages they did not ask for
// (see Conversation.OptOut). The state's own messages are still sent: say
// there what they opted out of and how to opt in again.
func OptOut(_ context.Context, c *Conversation) error {
	c.OptOut()
	return nil
}

// OptIn undoes OptOut for the shopper.
func OptIn(_ context.Context, c *Conversation) error {
	c.OptIn()
	return nil
}

// Summary renders an order as plain text: one line per item and the total
// (one total per currency for a cart in several), amounts with their
// currency's decimal places. The shopper's note (o.Text) is left out: the
// dry-run sender logs what it sends, and logs carry no shopper's words.
func Summary(o catalog.Order) string {
	return strings.Join(summaryLines(o), "\n")
}

// maxSummaryTexts bounds the texts one summary takes: a cart long enough
// to need more (no shopper's is) is cut short, saying how many items the
// texts leave out.
const maxSummaryTexts = 4

// SummaryTexts is Summary cut into texts WhatsApp takes, each at most
// whatsapp.MaxTextBody characters, breaking between lines.
func SummaryTexts(o catalog.Order) []string {
	texts := pack(summaryLines(o))
	if len(texts) <= maxSummaryTexts {
		return texts
	}
	cut := sort.Search(len(o.Items), func(cut int) bool { return len(pack(cutLines(o, cut))) <= maxSummaryTexts })
	return pack(cutLines(o, cut))
}

// cutLines is the summary of o without its last cut items, saying so.
func cutLines(o catalog.Order, cut int) []string {
	o.Items = o.Items[:len(o.Items)-cut]
	lines := summaryLines(o)
	return slices.Insert(lines, 1+len(o.Items), fmt.Sprintf("... and %d more item(s)", cut))
}

func summaryLines(o catalog.Order) []string {
	lines := []string{"Your order:"}
	for _, it := range o.Items {
		lines = append(lines, fmt.Sprintf("%d x %s @ %s = %s", it.Quantity, it.Name,
			catalog.Format(it.Price, it.Currency), catalog.Money(it.LineTotal, it.Currency)))
	}
	for _, t := range o.Totals {
		lines = append(lines, "Total: "+catalog.Money(t.Value, t.Currency))
	}
	return lines
}

// pack joins lines into texts of at most whatsapp.MaxTextBody characters;
// a line longer than that is cut.
func pack(lines []string) []string {
	var texts []string
	var cur []rune
	for _, l := range lines {
		r := []rune(l)
		if len(r) > whatsapp.MaxTextBody {
			r = r[:whatsapp.MaxTextBody]
		}
		if len(cur) > 0 && len(cur)+1+len(r) > whatsapp.MaxTextBody {
			texts = append(texts, strings.TrimSpace(string(cur)))
			cur = nil
		}
		if len(cur) > 0 {
			cur = append(cur, '\n')
		}
		cur = append(cur, r...)
	}
	if len(cur) > 0 {
		texts = append(texts, strings.TrimSpace(string(cur)))
	}
	return texts
}
