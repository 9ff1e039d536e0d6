package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/handlers"
)

// staleFlow offers a list, then buttons whose first choice runs a handler
// that fails while *failing is set.
const staleFlow = `flow: t
start: menu
stale_taps: ignore
session_ttl: 1h
states:
  menu:
    send:
      - list:
          body: What would you like?
          button: Menu
          sections: [{rows: [{id: pizzas, title: Pizzas}, {id: drinks, title: Drinks}]}]
    on: {pizzas: pizzas, drinks: drinks}
  pizzas:
    send:
      - buttons: {body: "Which pizza?", buttons: [{id: margherita, title: Margherita}, {id: back, title: Back}]}
    on: {margherita: done, back: menu}
  drinks:
    send:
      - text: Drinks come soon.
  done:
    run: take
    send:
      - text: One margherita, coming up.
`

// staleHarness runs staleFlow with its stale_taps line as given ("" for
// none).
func staleHarness(t *testing.T, policy string, failing *bool) *harness {
	t.Helper()
	flow := strings.Replace(staleFlow, "stale_taps: ignore\n", policy, 1)
	return newHarness(t, flow, nil, func(r *handlers.Registry) {
		r.Register("take", handlers.Func(func(context.Context, *handlers.Conversation) error {
			if *failing {
				return errors.New("kitchen closed")
			}
			return nil
		}))
	})
}

// tap taps id on the menu message with this id.
func (h *harness) tap(id, menu string) []string {
	return h.send(whatsapp.Event{Kind: whatsapp.KindListReply, ReplyID: id, Text: id, ContextID: menu})
}

// TestStaleTapIgnored checks that with stale_taps: ignore a second tap on
// the same row of a message whose tap the conversation took (a double
// tap) answers nothing and moves nothing, while still telling that the
// shopper wrote; another row of that message is a new choice, routed by
// the rules, and a tap on the menu the state sent moves on.
func TestStaleTapIgnored(t *testing.T) {
	failing := false
	h := staleHarness(t, "stale_taps: ignore\n", &failing)
	h.text("hi")
	if got := h.tap("pizzas", "wamid.menu1"); !eq(got, []string{"buttons"}) {
		t.Fatalf("first tap: %q", got)
	}
	h.now = h.now.Add(time.Minute)
	if got := h.tap("pizzas", "wamid.menu1"); len(got) != 0 {
		t.Fatalf("double tap answered %q", got)
	}
	if c := h.conv(); c.State != "pizzas" || !c.LastInbound.Equal(h.now) {
		t.Fatalf("after the double tap: state %q, last inbound %v (now %v)", c.State, c.LastInbound, h.now)
	}
	if got := h.tap("drinks", "wamid.menu1"); !eq(got, []string{"buttons"}) {
		t.Fatalf("another row of the old menu: %q, want it routed (no drinks in pizzas: entered again)", got)
	}
	if got := h.tap("margherita", "wamid.buttons1"); !eq(got, []string{"text:One margherita, coming up."}) {
		t.Fatalf("tap on the current menu: %q", got)
	}
	if n := len(h.conv().Answered); n != 3 {
		t.Fatalf("answered %d taps, want 3", n)
	}
}

// TestStaleTapResult checks what Handle says of a stale tap.
func TestStaleTapResult(t *testing.T) {
	failing := false
	h := staleHarness(t, "stale_taps: ignore\n", &failing)
	h.text("hi")
	h.tap("pizzas", "wamid.menu1")
	res, err := h.eng.Handle(context.Background(), whatsapp.Event{Kind: whatsapp.KindListReply, ID: "wamid.again",
		From: h.phone, ReplyID: "pizzas", ContextID: "wamid.menu1", Timestamp: h.now})
	if err != nil || res.Ignored != IgnoredStaleTap || res.Moved() || res.Sent != 0 {
		t.Fatalf("Handle: %+v, %v", res, err)
	}
}

// TestStaleTapAppliedByDefault checks that without stale_taps (or with
// apply) a double tap goes by the rules, as any tap: here it matches
// nothing in the state it led to, which is entered again.
func TestStaleTapAppliedByDefault(t *testing.T) {
	for _, policy := range []string{"stale_taps: apply\n", ""} {
		failing := false
		h := staleHarness(t, policy, &failing)
		h.text("hi")
		h.tap("pizzas", "wamid.menu1")
		if got := h.tap("pizzas", "wamid.menu1"); !eq(got, []string{"buttons"}) {
			t.Fatalf("%q: double tap: %q, want the state entered again", policy, got)
		}
		if c := h.conv(); len(c.Answered) != 0 {
			t.Fatalf("%q: answered kept without stale_taps: ignore: %q", policy, c.Answered)
		}
	}
}

// TestStaleTapNeedsTheMenu checks that a tap that names no menu message
// is never stale.
func TestStaleTapNeedsTheMenu(t *testing.T) {
	failing := false
	h := staleHarness(t, "stale_taps: ignore\n", &failing)
	h.text("hi")
	h.tap("pizzas", "")
	if got := h.tap("pizzas", ""); !eq(got, []string{"buttons"}) {
		t.Fatalf("tap without context: %q", got)
	}
}

// TestStaleTapAfterFailedMove checks that a tap whose move failed (the
// shopper got error_text) leaves its menu open to be tapped again.
func TestStaleTapAfterFailedMove(t *testing.T) {
	failing := true
	h := staleHarness(t, "stale_taps: ignore\n", &failing)
	h.text("hi")
	h.tap("pizzas", "wamid.menu1")
	if got := h.tap("margherita", "wamid.buttons1"); len(got) != 1 || !strings.HasPrefix(got[0], "text:Sorry") {
		t.Fatalf("failing move: %q", got)
	}
	failing = false
	if got := h.tap("margherita", "wamid.buttons1"); !eq(got, []string{"text:One margherita, coming up."}) {
		t.Fatalf("the same tap again: %q", got)
	}
}

// TestStaleTapNewSession checks that a tap on an old menu after the
// session expired starts over, as any message does then, and that the
// menu is remembered once.
func TestStaleTapNewSession(t *testing.T) {
	failing := false
	h := staleHarness(t, "stale_taps: ignore\n", &failing)
	h.text("hi")
	h.tap("pizzas", "wamid.menu1")
	h.now = h.now.Add(2 * time.Hour)
	if got := h.tap("pizzas", "wamid.menu1"); !eq(got, []string{"list"}) {
		t.Fatalf("stale tap in a new session: %q, want the start", got)
	}
	if n := len(h.conv().Answered); n != 1 {
		t.Fatalf("the menu is remembered %d times, want once", n)
	}
}

// TestStaleTapMetrics checks that an ignored stale tap counts as step
// stale and moves no state.
func TestStaleTapMetrics(t *testing.T) {
	failing := false
	h := staleHarness(t, "stale_taps: ignore\n", &failing)
	m := h.restartMetered(false)
	h.text("hi")
	h.tap("pizzas", "wamid.menu1")
	h.tap("pizzas", "wamid.menu1")
	h.tap("pizzas", "wamid.menu1")
	for line, want := range map[string]string{
		`souk_triggers_total{flow="t",step="stale"}`:                 " 2",
		`souk_triggers_total{flow="t",step="on"}`:                    " 1",
		`souk_transitions_total{flow="t",from="pizzas",to="pizzas"}`: "",
		`souk_transitions_total{flow="t",from="menu",to="pizzas"}`:   " 1",
	} {
		got := scrapeLine(t, m, line)
		if want == "" && got != "" || want != "" && !strings.HasSuffix(got, want) {
			t.Errorf("%s: got %q, want %q", line, got, want)
		}
	}
}

// TestAnsweredKeepsTheLast checks that a conversation remembers the last
// MaxAnswered menus, each once, so a tap on one answered before them
// routes as any tap.
func TestAnsweredKeepsTheLast(t *testing.T) {
	failing := false
	h := staleHarness(t, "stale_taps: ignore\n", &failing)
	h.text("hi")
	h.tap("pizzas", "wamid.menu0")
	for i := 1; i <= MaxAnswered; i++ { // back to the menu, and on to pizzas
		menu, buttons := fmt.Sprintf("wamid.menu%d", i), fmt.Sprintf("wamid.buttons%d", i)
		h.tap("back", buttons)
		h.tap("pizzas", menu)
	}
	if n := len(h.conv().Answered); n != MaxAnswered {
		t.Fatalf("answered %d menus, want %d", n, MaxAnswered)
	}
	if got := h.tap("back", fmt.Sprintf("wamid.buttons%d", MaxAnswered)); len(got) != 0 {
		t.Fatalf("a recent menu tapped again: %q", got)
	}
	if got := h.tap("pizzas", "wamid.menu0"); !eq(got, []string{"buttons"}) {
		t.Fatalf("a menu answered long ago: %q, want it routed", got)
	}
}

// TestStaleTapsReloadedToApply checks that a flow reloaded without
// stale_taps: ignore routes a repeated tap and forgets the taps recorded,
// so that ignore, when it comes back, does not act on a record with gaps.
func TestStaleTapsReloadedToApply(t *testing.T) {
	failing := false
	h := staleHarness(t, "stale_taps: ignore\n", &failing)
	h.text("hi")
	h.tap("pizzas", "wamid.menu1")
	if len(h.conv().Answered) != 1 {
		t.Fatal("the tap was not recorded")
	}
	h.flow = mustFlow(t, strings.Replace(staleFlow, "stale_taps: ignore\n", "", 1))
	h.restart()
	if got := h.tap("pizzas", "wamid.menu1"); !eq(got, []string{"buttons"}) {
		t.Fatalf("repeated tap under apply: %q, want the state entered again", got)
	}
	if c := h.conv(); c.Answered != nil {
		t.Fatalf("answered kept under apply: %q", c.Answered)
	}
}

// TestStaleTapDeliveredTwice checks SPEC's dedup promise for an ignored
// tap: the same webhook again is a duplicate, which records nothing more.
func TestStaleTapDeliveredTwice(t *testing.T) {
	failing := false
	h := staleHarness(t, "stale_taps: ignore\n", &failing)
	h.text("hi")
	h.tap("pizzas", "wamid.menu1")
	ev := whatsapp.Event{Kind: whatsapp.KindListReply, ID: "wamid.again", From: h.phone, ReplyID: "pizzas", ContextID: "wamid.menu1", Timestamp: h.now}
	first, err := h.eng.Handle(context.Background(), ev)
	if err != nil || first.Ignored != IgnoredStaleTap {
		t.Fatalf("first delivery: %+v, %v", first, err)
	}
	version := h.conv().Version
	h.restart() // a process without the cache
	again, err := h.eng.Handle(context.Background(), ev)
	if err != nil || !again.Duplicate || again.Sent != 0 || h.conv().Version != version {
		t.Fatalf("second delivery: %+v, %v; version %d, was %d", again, err, h.conv().Version, version)
	}
}
