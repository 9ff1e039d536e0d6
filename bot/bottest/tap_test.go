package bottest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/souk-commerce/souk/bot/bottest"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/handlers"
)

const tapFlow = `flow: taps
start: menu
%s
states:
  menu:
    send:
      - list: {body: Pick, button: Menu, sections: [{rows: [{id: pizzas, title: Pizzas}]}]}
    on: {pizzas: pizzas}
  pizzas:
    run: seen
    send:
      - buttons: {body: Which, buttons: [{id: margherita, title: Margherita}, {id: back, title: Back}]}
    on: {margherita: pizzas, back: menu}
`

// tapBot runs tapFlow with a stale_taps line as given; the pizzas state's
// handler keeps the events that enter it in *seen.
func tapBot(t *testing.T, policy string, seen *[]whatsapp.Event) *bottest.Bot {
	t.Helper()
	f, diags := flows.Parse("taps.yaml", []byte(fmt.Sprintf(tapFlow, policy)), flows.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	reg := handlers.NewRegistry()
	reg.Register("seen", handlers.Func(func(_ context.Context, c *handlers.Conversation) error {
		*seen = append(*seen, c.Event)
		return nil
	}))
	b, err := bottest.New(f, bottest.Config{Handlers: reg})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// TestTapAnswersTheMenu checks that a tap answers the newest message that
// offered the id, with that message's id as context, its kind and title,
// also after the conversation moved on.
func TestTapAnswersTheMenu(t *testing.T) {
	var seen []whatsapp.Event
	b := tapBot(t, "", &seen)
	s := b.Shopper("", "")
	list := s.Text("hi").Sent[0].Result.MessageID
	buttons := s.Tap("pizzas").Sent[0].Result.MessageID
	s.Tap("margherita")
	s.Tap("pizzas") // the list again: the pizzas state takes no pizzas, so it is entered again
	if list == "" || buttons == "" || list == buttons {
		t.Fatalf("message ids %q and %q: want two", list, buttons)
	}
	want := []struct {
		kind            whatsapp.EventKind
		id, title, menu string
	}{
		{whatsapp.KindListReply, "pizzas", "Pizzas", list},
		{whatsapp.KindButtonReply, "margherita", "Margherita", buttons},
		{whatsapp.KindListReply, "pizzas", "Pizzas", list},
	}
	if len(seen) != len(want) {
		t.Fatalf("the handler saw %d taps, want %d", len(seen), len(want))
	}
	for i, w := range want {
		if ev := seen[i]; ev.Kind != w.kind || ev.ReplyID != w.id || ev.Text != w.title || ev.ContextID != w.menu {
			t.Errorf("tap %d: %s %q %q on %q, want %s %q %q on %q", i, ev.Kind, ev.ReplyID, ev.Text, ev.ContextID, w.kind, w.id, w.title, w.menu)
		}
	}
}

// TestTapStale checks that with stale_taps: ignore a second tap on the
// same menu answers nothing, and a tap on the newest menu moves on.
func TestTapStale(t *testing.T) {
	var seen []whatsapp.Event
	b := tapBot(t, "stale_taps: ignore", &seen)
	s := b.Shopper("", "")
	s.Text("hi")
	s.Tap("pizzas")
	bottest.AssertNothing(t, s.Tap("pizzas"))
	bottest.AssertState(t, s, "pizzas")
	bottest.AssertKinds(t, s.Tap("back"), "list")
	bottest.AssertKinds(t, s.Tap("pizzas"), "buttons") // on the new list
}
