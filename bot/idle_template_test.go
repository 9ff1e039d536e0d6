package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/handlers"
)

// cartReminderFlow reminds a silent shopper with text while WhatsApp's
// 24-hour window is open, then, past it, with templates only.
const cartReminderFlow = `flow: t
start: browse
catalog: "1033000049"
session_ttl: 72h
states:
  browse:
    send: [{text: "Our teas"}]
    on: {late: late, later: later}
    idle: {after: 2h, to: nudge}
  nudge:
    send: [{text: "Still thinking?"}]
    idle: {after: 23h, to: next_day}
    else: browse
  next_day:
    send:
      - template: {name: cart_reminder, language: en, product: tea-assam, body: ["{{.Contact.Name}}"]}
    idle: {after: 24h, to: last_call}
    else: browse
  last_call:
    run: also_text
    send:
      - template: {name: last_call, language: en, product: tea-assam}
    else: browse
  late:
    send: [{text: "Noted"}]
    idle: {after: 2h, to: nudge}
  later:
    send: [{text: "Noted"}]
    idle: {after: 2h, to: next_day}
`

func cartReminderHarness(t *testing.T) *harness {
	return newHarness(t, cartReminderFlow, nil, func(r *handlers.Registry) {
		r.Register("also_text", handlers.Func(func(_ context.Context, c *handlers.Conversation) error {
			c.Send(whatsapp.Text{Body: "a session message"})
			return nil
		}))
	})
}

// TestIdleTemplatePastTheWindow checks that a chain of reminders goes on
// past WhatsApp's 24-hour window into states that send only templates,
// each counted from the shopper's last message, and that a session
// message a handler adds there is refused, as any would be.
func TestIdleTemplatePastTheWindow(t *testing.T) {
	h := cartReminderHarness(t)
	h.text("hi")
	start := h.now
	h.now = start.Add(2 * time.Hour)
	if got := h.pass(); !eq(got, []string{"text:Still thinking?"}) {
		t.Fatalf("after 2h: sent %q", got)
	}
	h.now = start.Add(25*time.Hour - time.Minute)
	if got := h.pass(); len(got) != 0 {
		t.Fatalf("before 25h: sent %q", got)
	}
	h.now = start.Add(25 * time.Hour)
	if got := h.pass(); !eq(got, []string{"template:cart_reminder"}) {
		t.Fatalf("after 25h, past the window: sent %q", got)
	}
	if c := h.conv(); c.State != "next_day" || !c.IdleAt.Equal(start.Add(49*time.Hour)) {
		t.Fatalf("state %q, idle at %v; want next_day, at 49h", c.State, c.IdleAt)
	}
	h.now = start.Add(49 * time.Hour)
	if got := h.pass(); !eq(got, []string{"template:last_call"}) {
		t.Fatalf("after 49h: sent %q; want the template only, the handler's text refused", got)
	}
	if !strings.Contains(h.logs.String(), "reply not sent") || !strings.Contains(h.logs.String(), ErrOutsideWindow.Error()) {
		t.Errorf("the handler's text was not refused as outside the window:\n%s", h.logs)
	}
	if got := h.text("hello again"); !eq(got, []string{"text:Our teas"}) {
		t.Fatalf("the shopper's answer to the template: sent %q", got)
	}
}

// TestIdleTemplateAfterALateMessage checks that a reminder into a state
// that sends only templates runs even when the shopper's message arrived
// so late that the window has closed, while one that sends text does not.
func TestIdleTemplateAfterALateMessage(t *testing.T) {
	for _, c := range []struct {
		word string
		want []string
	}{
		{"late", nil},
		{"later", []string{"template:cart_reminder"}},
	} {
		h := cartReminderHarness(t)
		h.text("hi")
		start := h.now
		h.now = start.Add(23 * time.Hour) // written before "hi", delivered a day late
		h.send(whatsapp.Event{Kind: whatsapp.KindText, Text: c.word, Timestamp: start.Add(-time.Hour)})
		h.now = start.Add(25 * time.Hour)
		if got := h.pass(); !eq(got, c.want) {
			t.Fatalf("%s: a reminder 25h after the shopper wrote: sent %q, want %q", c.word, got, c.want)
		}
		if conv := h.conv(); c.want == nil && (!conv.IdleAt.IsZero() || !strings.Contains(h.logs.String(), IdleNotTemplates)) {
			t.Errorf("%s: a reminder refused for the window left its timer at %v or was not logged so:\n%s", c.word, conv.IdleAt, h.logs)
		}
	}
}

// TestIdleRedirectedBackRemindsOnce checks that a reminder whose handler
// sends the shopper back to the state the timer ran out in (require_cart
// with an empty cart) reminds once, rather than set that state's timer
// again and remind every hour.
func TestIdleRedirectedBackRemindsOnce(t *testing.T) {
	h := newHarness(t, `flow: t
start: browse
states:
  browse:
    send: [{text: "Our teas"}]
    idle: {after: 1h, to: checkout}
  checkout:
    run: require_cart
    send: [{text: "Pay now"}]
`, nil, nil)
	h.text("hi")
	start := h.now
	h.now = start.Add(time.Hour)
	if got := h.pass(); !eq(got, []string{"text:" + handlers.EmptyCartText, "text:Our teas"}) {
		t.Fatalf("after 1h: sent %q", got)
	}
	if c := h.conv(); c.State != "browse" || !c.IdleAt.IsZero() {
		t.Fatalf("state %q, idle at %v; want browse, spent", c.State, c.IdleAt)
	}
	h.now = start.Add(3 * time.Hour)
	if got := h.pass(); len(got) != 0 {
		t.Fatalf("after 3h: sent %q", got)
	}
	if got := h.text("hi again"); !eq(got, []string{"text:Our teas"}) || h.conv().IdleAt.IsZero() {
		t.Fatalf("the shopper's message: sent %q, idle at %v; want the timer set again", got, h.conv().IdleAt)
	}
}
