package bot

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/handlers"
)

const saveFlow = `flow: t
start: ask
error_text: Oops
keywords: {menu: ask}
states:
  ask:
    send:
      - buttons:
          body: Where should we deliver?
          buttons: [{id: pickup, title: I'll pick it up}]
    save: address
    text: confirm
    on: {pickup: confirm}
  confirm:
    run: check
    send: [{text: "To {{.Vars.address}}, {{.Vars.note}}"}]
    save: note
    text: done
    else: ask
  done:
    send: [{text: "Noted: {{.Vars.note}} for {{.Vars.address}}"}]
`

// newSaveHarness runs saveFlow; check fails while *failing is true and
// otherwise records the address it saw.
func newSaveHarness(t *testing.T, failing *bool, seen *[]any) *harness {
	return newHarness(t, saveFlow, nil, func(r *handlers.Registry) {
		r.Register("check", handlers.Func(func(_ context.Context, c *handlers.Conversation) error {
			*seen = append(*seen, c.Vars["address"])
			if *failing {
				return errors.New("address service down")
			}
			return nil
		}))
	})
}

// TestSaveKeepsTheTypedAnswer checks that typed text taking a state's
// text route is kept in the var its save names, before the next state's
// handler and templates run, and kept for the states after.
func TestSaveKeepsTheTypedAnswer(t *testing.T) {
	failing, seen := false, []any{}
	h := newSaveHarness(t, &failing, &seen)
	h.text("hi")
	if got := h.text("  12 Baker Street, flat 3  "); !eq(got, []string{"text:To 12 Baker Street, flat 3, "}) {
		t.Fatalf("after the address: %q", got)
	}
	if len(seen) != 1 || seen[0] != "12 Baker Street, flat 3" {
		t.Fatalf("the handler saw address %q", seen)
	}
	if got := h.text("Ring twice"); !eq(got, []string{"text:Noted: Ring twice for 12 Baker Street, flat 3"}) {
		t.Fatalf("after the note: %q", got)
	}
	h.restart()
	if got := h.conv().Vars; got["address"] != "12 Baker Street, flat 3" || got["note"] != "Ring twice" {
		t.Fatalf("stored vars = %v", got)
	}
}

// TestSaveOnlyTheTextRoute checks that what leaves a saving state another
// way, a tap, a typed id or a keyword, is not kept as the answer.
func TestSaveOnlyTheTextRoute(t *testing.T) {
	for _, tt := range []struct {
		name string
		ev   whatsapp.Event
	}{
		{"a tapped button", whatsapp.Event{Kind: whatsapp.KindButtonReply, ReplyID: "pickup"}},
		{"the button's id typed", whatsapp.Event{Kind: whatsapp.KindText, Text: "Pickup"}},
		{"a keyword", whatsapp.Event{Kind: whatsapp.KindText, Text: "menu"}},
		{"a cart", whatsapp.Event{Kind: whatsapp.KindOrder, Order: &whatsapp.Order{}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			failing, seen := false, []any{}
			h := newSaveHarness(t, &failing, &seen)
			h.text("hi")
			h.send(tt.ev)
			if v, ok := h.conv().Vars["address"]; ok {
				t.Fatalf("address saved as %q", v)
			}
		})
	}
}

// TestSaveUndoneByAFailedMove checks that an answer whose move fails in a
// handler is not kept: the conversation stays where it was, the question
// still open, and the next answer is the one kept.
func TestSaveUndoneByAFailedMove(t *testing.T) {
	failing, seen := true, []any{}
	h := newSaveHarness(t, &failing, &seen)
	h.text("hi")
	if got := h.text("Wrong Road 1"); !eq(got, []string{"text:Oops"}) {
		t.Fatalf("sent %q, want the error text", got)
	}
	if c := h.conv(); c.State != "ask" || c.Vars["address"] != nil {
		t.Fatalf("after a failed move: state %q, vars %v", c.State, c.Vars)
	}
	failing = false
	if got := h.text("Right Road 2"); !eq(got, []string{"text:To Right Road 2, "}) {
		t.Fatalf("after the second answer: %q", got)
	}
}

// TestSaveEndsWithTheSession checks that an answer does not outlive its
// session, as no var does.
func TestSaveEndsWithTheSession(t *testing.T) {
	failing, seen := false, []any{}
	h := newSaveHarness(t, &failing, &seen)
	h.text("hi")
	h.text("12 Baker Street")
	h.now = h.now.Add(25 * time.Hour)
	h.text("hello again")
	if v, ok := h.conv().Vars["address"]; ok {
		t.Fatalf("address kept into a new session: %q", v)
	}
}

func TestAnswerIsCut(t *testing.T) {
	long := strings.Repeat("é", whatsapp.MaxTextBody+5)
	if got := answer(long); got != strings.Repeat("é", whatsapp.MaxTextBody) {
		t.Fatalf("answer kept %d runes", len([]rune(got)))
	}
	if got := answer(" \tshort\n"); got != "short" {
		t.Fatalf("answer(short) = %q", got)
	}
}

const shortFieldFlow = `flow: t
start: ask
error_text: Oops
states:
  ask:
    send: [{text: "Where should we deliver?"}]
    save: address
    text: confirm
  confirm:
    send:
      - text: Thanks.
      - buttons:
          body: "We deliver to {{.Vars.address}}. Right?"
          buttons: [{id: right, title: "Yes"}]
    on: {right: done}
  done:
    send: [{text: "Booked for {{.Vars.address}}."}]
`

// TestSaveRefusesAnAnswerTooLongToShow checks that an answer the next
// state cannot show (here a buttons body, at most 1024 characters) is not
// kept and leaves the question open, rather than move the shopper into a
// state whose messages fail each time; a shorter answer then goes on.
func TestSaveRefusesAnAnswerTooLongToShow(t *testing.T) {
	h := newHarness(t, shortFieldFlow, nil, nil)
	h.text("hi")
	if got := h.text(strings.Repeat("long road ", 110)); !eq(got, []string{"text:Oops"}) {
		t.Fatalf("after a 1100-character answer: sent %q, want only the error text", got)
	}
	if c := h.conv(); c.State != "ask" || c.Vars["address"] != nil {
		t.Fatalf("after a refused answer: state %q, vars %v", c.State, c.Vars)
	}
	if !strings.Contains(h.logs.String(), "answer not kept") {
		t.Errorf("the refusal is not logged:\n%s", h.logs)
	}
	if got := h.text("12 Baker Street"); !eq(got, []string{"text:Thanks.", "buttons"}) {
		t.Fatalf("after a short answer: sent %q", got)
	}
	if c := h.conv(); c.State != "confirm" || c.Vars["address"] != "12 Baker Street" {
		t.Fatalf("after a short answer: state %q, vars %v", c.State, c.Vars)
	}
}

// TestSaveTypedTitleIsAnAnswer pins what the README says: a state with a
// text route reads no titles, so a typed button title is an answer.
func TestSaveTypedTitleIsAnAnswer(t *testing.T) {
	failing, seen := false, []any{}
	h := newSaveHarness(t, &failing, &seen)
	h.text("hi")
	h.text("I'll pick it up")
	if c := h.conv(); c.Vars["address"] != "I'll pick it up" {
		t.Fatalf("vars %v", c.Vars)
	}
}
