package bot

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/souk-commerce/souk/handlers"
	"github.com/souk-commerce/souk/store"
)

const idleFlow = `flow: t
start: browse
session_ttl: 48h
keywords: {human: human}
states:
  browse:
    send: [{text: "Our teas"}]
    on: {quiet: quiet, chain: first}
    idle: {after: 2h, to: nudge}
  nudge:
    run: nudged
    send: [{text: "Still thinking, {{.Contact.Name}}?"}]
    else: browse
  quiet:
    send: [{text: "ok"}]
  first:
    send: [{text: "first"}]
    idle: {after: 23h, to: second}
  second:
    send: [{text: "second"}]
    idle: {after: 23h, to: third}
  third:
    send: [{text: "third"}]
  human:
    run: handoff
    send: [{text: "A person will answer"}]
`

// idleHarness runs idleFlow; the nudged handler fails while *failing.
func idleHarness(t *testing.T, failing *bool) *harness {
	return newHarness(t, idleFlow, nil, func(r *handlers.Registry) {
		r.Register("nudged", handlers.Func(func(context.Context, *handlers.Conversation) error {
			if failing != nil && *failing {
				return errors.New("crm down")
			}
			return nil
		}))
	})
}

// pass runs one idle pass at the harness's clock and returns what was sent.
func (h *harness) pass() []string {
	h.t.Helper()
	if _, err := h.eng.IdlePass(context.Background(), h.st); err != nil {
		h.t.Fatalf("IdlePass: %v", err)
	}
	return h.rec.take()
}

func (h *harness) idleIndex() []store.IdleTimer {
	h.t.Helper()
	timers, err := h.st.DueIdle(context.Background(), h.now.Add(1000*time.Hour), 100)
	if err != nil {
		h.t.Fatal(err)
	}
	return timers
}

// TestIdleRemindsASilentShopper checks that a shopper silent for idle.after
// in a state is moved to idle.to and sent its messages, once, without it
// counting as their activity.
func TestIdleRemindsASilentShopper(t *testing.T) {
	h := idleHarness(t, nil)
	h.now = h.now.Add(1234567 * time.Nanosecond) // the index keeps milliseconds
	h.text("hi")
	start := h.now
	if got := h.idleIndex(); len(got) != 1 || !got[0].Due.Equal(start.Add(2*time.Hour).Truncate(time.Millisecond)) {
		t.Fatalf("index after entering browse: %v", got)
	}
	h.now = start.Add(2*time.Hour - time.Millisecond)
	if got := h.pass(); len(got) != 0 {
		t.Fatalf("before the timer ran out: sent %q", got)
	}
	if res, err := h.eng.Idle(context.Background(), h.phone); err != nil || res.Ignored != IdleNotDue {
		t.Fatalf("Idle before the timer ran out: %+v, %v", res, err)
	}
	h.now = start.Add(2 * time.Hour).Truncate(time.Millisecond) // when the index says it is due
	if got := h.pass(); !eq(got, []string{"text:Still thinking, Asha?"}) {
		t.Fatalf("when the timer ran out: sent %q", got)
	}
	c := h.conv()
	if c.State != "nudge" || !c.LastActive.Equal(start) || !c.IdleAt.IsZero() {
		t.Fatalf("after the reminder: state %q, last active %v (want %v), idle at %v", c.State, c.LastActive, start, c.IdleAt)
	}
	if got := h.idleIndex(); len(got) != 0 {
		t.Fatalf("index after the reminder: %v", got)
	}
	h.now = h.now.Add(10 * time.Hour)
	if got := h.pass(); len(got) != 0 {
		t.Fatalf("a second pass sent %q", got)
	}
}

// TestIdleRestartsWithEachMessage checks that the timer counts from the
// shopper's last move, and that leaving for a state without idle ends it.
func TestIdleRestartsWithEachMessage(t *testing.T) {
	h := idleHarness(t, nil)
	h.text("hi")
	start := h.now
	h.now = start.Add(time.Hour)
	h.text("just looking") // browse again
	h.now = start.Add(2*time.Hour + time.Minute)
	if got := h.pass(); len(got) != 0 {
		t.Fatalf("2h after the first message, 1h after the last: sent %q", got)
	}
	h.now = start.Add(3 * time.Hour)
	if got := h.pass(); !eq(got, []string{"text:Still thinking, Asha?"}) {
		t.Fatalf("2h after the last message: sent %q", got)
	}

	h.text("hi") // nudge's else: browse, with a new timer
	h.text("quiet")
	h.now = h.now.Add(5 * time.Hour)
	if got := h.pass(); len(got) != 0 {
		t.Fatalf("after leaving for a state without idle: sent %q", got)
	}
	if got := h.idleIndex(); len(got) != 0 {
		t.Fatalf("the index keeps a moot timer: %v", got)
	}
}

// TestIdleChainStopsAtTheWindow checks that a chain of reminders goes on
// from each reminder's own time, and stops once WhatsApp's 24-hour window
// has closed, sending nothing.
func TestIdleChainStopsAtTheWindow(t *testing.T) {
	h := idleHarness(t, nil)
	h.text("hi")
	h.text("chain")
	start := h.now
	h.now = start.Add(23 * time.Hour)
	if got := h.pass(); !eq(got, []string{"text:second"}) {
		t.Fatalf("after 23h: sent %q", got)
	}
	h.now = start.Add(46 * time.Hour)
	if got := h.pass(); len(got) != 0 {
		t.Fatalf("after 46h, outside the window: sent %q", got)
	}
	if c := h.conv(); c.State != "second" {
		t.Fatalf("state %q, want second", c.State)
	}
}

// TestIdleSkipsAHandoff checks that no reminder reaches a shopper who is
// with a person.
func TestIdleSkipsAHandoff(t *testing.T) {
	h := idleHarness(t, nil)
	h.text("hi")
	c := h.conv()
	c.HandoffAt = h.now
	if err := h.st.Commit(context.Background(), store.Commit{Conversation: c, TTL: 48 * time.Hour}); err != nil {
		t.Fatal(err)
	}
	h.restart() // no cached copy
	h.now = h.now.Add(3 * time.Hour)
	if got := h.pass(); len(got) != 0 {
		t.Fatalf("handed off: sent %q", got)
	}
}

// TestIdleHandlerFailureSendsNothing checks that a reminder whose handler
// fails sends nothing (no error_text out of the blue) and spends the timer.
func TestIdleHandlerFailureSendsNothing(t *testing.T) {
	failing := true
	h := idleHarness(t, &failing)
	h.text("hi")
	h.now = h.now.Add(2 * time.Hour)
	if got := h.pass(); len(got) != 0 {
		t.Fatalf("sent %q", got)
	}
	if c := h.conv(); c.State != "browse" || !c.IdleAt.IsZero() {
		t.Fatalf("state %q, idle at %v", c.State, c.IdleAt)
	}
	h.now = h.now.Add(4 * time.Hour)
	if got := h.pass(); len(got) != 0 {
		t.Fatalf("the spent timer ran again: sent %q", got)
	}
}

// TestIdleOnceAcrossEngines checks that engines of several processes
// running the same timer at once remind the shopper once.
func TestIdleOnceAcrossEngines(t *testing.T) {
	h := idleHarness(t, nil)
	h.text("hi")
	h.now = h.now.Add(2 * time.Hour)
	engines := make([]*Engine, 4)
	for i := range engines {
		h.restart()
		engines[i] = h.eng
	}
	var wg sync.WaitGroup
	for _, e := range engines {
		wg.Go(func() {
			if _, err := e.Idle(context.Background(), h.phone); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := h.rec.take(); !eq(got, []string{"text:Still thinking, Asha?"}) {
		t.Fatalf("four engines sent %q", got)
	}
}
