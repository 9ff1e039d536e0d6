package bot

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

const optOutFlow = `flow: t
start: browse
catalog: "1033000049"
session_ttl: 24h
keywords: {stop: stopped, start: resumed}
states:
  browse:
    send: [{text: "Our teas"}]
    idle: {after: 1h, to: nudge}
  nudge:
    send: [{text: "Still there?"}]
    else: browse
  stopped:
    run: opt_out
    send: [{text: "No more reminders or offers"}]
    else: browse
  resumed:
    run: opt_in
    send: [{text: "Welcome back"}]
    else: browse
`

// TestOptOut checks that a shopper who opted out (the opt_out built-in)
// still gets answers but no reminders, which are dropped and logged, nor
// re-engagement templates, even in a later session; and that opt_in undoes
// it.
func TestOptOut(t *testing.T) {
	h := newHarness(t, optOutFlow, nil, nil)
	ctx := context.Background()
	offer := Reengagement{To: h.phone, Template: "tea_week", Language: "en", Product: "tea-assam"}
	h.text("hi")
	if got := h.text("stop"); !eq(got, []string{"text:No more reminders or offers"}) {
		t.Fatalf("stop: sent %q", got)
	}
	if out, err := h.eng.OptedOut(ctx, h.phone); err != nil || !out {
		t.Fatalf("OptedOut after stop: %v, %v", out, err)
	}
	if got := h.text("what teas?"); !eq(got, []string{"text:Our teas"}) {
		t.Fatalf("an answer after opting out: sent %q", got)
	}
	h.now = h.now.Add(time.Hour)
	if got := h.pass(); len(got) != 0 {
		t.Fatalf("a reminder after opting out: sent %q", got)
	}
	if c := h.conv(); c.State != "browse" || !c.IdleAt.IsZero() || !strings.Contains(h.logs.String(), IdleOptedOut) {
		t.Fatalf("state %q, idle at %v; want browse, the timer dropped and logged:\n%s", c.State, c.IdleAt, h.logs)
	}
	if _, err := h.eng.Reengage(ctx, offer); !errors.Is(err, ErrOptedOut) {
		t.Fatalf("Reengage after opting out: %v, want ErrOptedOut", err)
	}

	h.now = h.now.Add(48 * time.Hour) // a new session: the opt-out holds
	if got := h.text("hi"); !eq(got, []string{"text:Our teas"}) {
		t.Fatalf("a new session: sent %q", got)
	}
	h.now = h.now.Add(time.Hour)
	if got := h.pass(); len(got) != 0 {
		t.Fatalf("a reminder in a later session: sent %q", got)
	}

	if got := h.text("start"); !eq(got, []string{"text:Welcome back"}) {
		t.Fatalf("start: sent %q", got)
	}
	h.text("hi")
	h.now = h.now.Add(time.Hour)
	if got := h.pass(); !eq(got, []string{"text:Still there?"}) {
		t.Fatalf("a reminder after opting in again: sent %q", got)
	}
	h.rec.take()
	if _, err := h.eng.Reengage(ctx, offer); err != nil {
		t.Fatalf("Reengage after opting in again: %v", err)
	}
	if got := h.rec.take(); !eq(got, []string{"template:tea_week"}) {
		t.Fatalf("re-engagement: sent %q", got)
	}
}

// TestOptOutDeliveredAgain checks that a stop webhook the platform
// delivers again after the shopper opted in since changes nothing: the
// choice is recorded by the move's commit, which refuses a duplicate the
// conversation cache no longer remembers.
func TestOptOutDeliveredAgain(t *testing.T) {
	h := newHarness(t, optOutFlow, nil, nil)
	ctx := context.Background()
	h.text("hi")
	stop := whatsapp.Event{ID: "wamid.stop", From: h.phone, Kind: whatsapp.KindText, Text: "stop", Timestamp: h.now}
	if _, err := h.eng.Handle(ctx, stop); err != nil {
		t.Fatal(err)
	}
	h.text("start")
	for _, w := range []string{"menu", "hello", "teas", "hi"} { // past the ids the conversation cache keeps
		h.text(w)
	}
	res, err := h.eng.Handle(ctx, stop)
	if err != nil || !res.Duplicate {
		t.Fatalf("the stop delivered again: %+v, %v; want a duplicate", res, err)
	}
	if out, err := h.eng.OptedOut(ctx, "+"+h.phone); err != nil || out {
		t.Fatalf("OptedOut after a duplicate stop: %v, %v; want the opt-in to stand", out, err)
	}
	if got := h.rec.take(); len(got) != 0 {
		t.Fatalf("the duplicate sent %q", got)
	}
}

// TestOptOutOpensASession checks that stop works as a new or expired
// conversation's first message (the answer to a re-engagement template
// days later), where any other keyword starts at start, and starts the
// session in the opt-out state.
func TestOptOutOpensASession(t *testing.T) {
	h := newHarness(t, optOutFlow, nil, nil)
	if got := h.text("Stop!"); !eq(got, []string{"text:No more reminders or offers"}) {
		t.Fatalf("a new shopper's stop: sent %q", got)
	}
	if out, err := h.eng.OptedOut(context.Background(), h.phone); err != nil || !out {
		t.Fatalf("OptedOut: %v, %v", out, err)
	}
	h.now = h.now.Add(48 * time.Hour)
	if got := h.text("start"); !eq(got, []string{"text:Welcome back"}) {
		t.Fatalf("start after the session expired: sent %q", got)
	}
	if out, _ := h.eng.OptedOut(context.Background(), h.phone); out {
		t.Fatal("still opted out")
	}
	if c := h.conv(); c.State != "resumed" {
		t.Fatalf("state %q, want resumed", c.State)
	}
}

// TestOptOutWhileHandedOff checks that a stop typed to a person is
// honoured at once (no reminder or re-engagement waits on an operator to
// notice it) and still held for the operator, who sees it and sends
// nothing in the bot's name; a start while handed off undoes it, and a
// duplicate delivery records nothing more.
func TestOptOutWhileHandedOff(t *testing.T) {
	flow := strings.Replace(optOutFlow, "keywords: {stop: stopped, start: resumed}",
		"keywords: {stop: stopped, start: resumed, human: person}", 1) + `  person:
    run: handoff
    send: [{text: "A person will answer"}]
`
	h := newHarness(t, flow, nil, nil)
	ctx := context.Background()
	h.text("hi")
	h.text("human")
	if got := h.text("Stop!"); len(got) != 0 {
		t.Fatalf("a stop while handed off was answered: %q", got)
	}
	if out, err := h.eng.OptedOut(ctx, h.phone); err != nil || !out {
		t.Fatalf("OptedOut after a stop while handed off: %v, %v", out, err)
	}
	c := h.conv()
	if len(c.Held) != 1 || c.Held[0].Text != "Stop!" || c.State != "person" {
		t.Fatalf("held %+v in state %q; want the stop held, the state kept", c.Held, c.State)
	}
	if !strings.Contains(h.logs.String(), "shopper opted out") {
		t.Errorf("the opt-out was not logged:\n%s", h.logs)
	}
	stopID := "wamid." + strings.Repeat("x", h.seq) // the stop's id, as the harness numbered it
	h.text("start")
	if out, _ := h.eng.OptedOut(ctx, h.phone); out {
		t.Fatal("still opted out after a start while handed off")
	}
	again := whatsapp.Event{Kind: whatsapp.KindText, Text: "Stop!", ID: stopID, From: h.phone, Timestamp: h.now}
	if res, err := h.eng.Handle(ctx, again); err != nil || !res.Duplicate {
		t.Fatalf("the stop delivered again: %+v, %v; want a duplicate", res, err)
	}
	if out, _ := h.eng.OptedOut(ctx, h.phone); out {
		t.Fatal("the stop delivered again opted the shopper out again")
	}
	if got := h.text("just a question"); len(got) != 0 {
		t.Fatalf("a plain message while handed off was answered: %q", got)
	}
	if out, _ := h.eng.OptedOut(ctx, h.phone); out {
		t.Fatal("a plain message opted the shopper out")
	}
}
