package bot

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
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
    idle: {after: 3h, to: second}
  second:
    send: [{text: "second"}]
    idle: {after: 5h, to: third}
  third:
    send: [{text: "{{.Vars.a.b}}"}]
  human:
    run: handoff
    send: [{text: "A person will answer"}]
    idle: {after: 1h, to: nudge}
`

// nudgedRuns counts the runs of idleFlow's nudged handler.
var nudgedRuns atomic.Int32

// idleHarness runs idleFlow; the nudged handler fails while *failing.
func idleHarness(t *testing.T, failing *bool) *harness {
	return newHarness(t, idleFlow, nil, func(r *handlers.Registry) {
		r.Register("nudged", handlers.Func(func(context.Context, *handlers.Conversation) error {
			nudgedRuns.Add(1)
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

// TestIdleChain checks that a chain of reminders goes on from each
// reminder's own time, and that a reminder whose messages all fail to
// render sends nothing (no error_text out of the blue), moves nothing and
// spends the timer.
func TestIdleChain(t *testing.T) {
	h := idleHarness(t, nil)
	h.text("hi")
	h.text("chain")
	start := h.now
	h.now = start.Add(3 * time.Hour)
	if got := h.pass(); !eq(got, []string{"text:second"}) {
		t.Fatalf("after 3h: sent %q", got)
	}
	h.now = start.Add(8*time.Hour - time.Minute)
	if got := h.pass(); len(got) != 0 {
		t.Fatalf("5h after the shopper's last word, under 5h after the reminder: sent %q", got)
	}
	h.now = start.Add(8 * time.Hour)
	if got := h.pass(); len(got) != 0 {
		t.Fatalf("a reminder that fails to render: sent %q", got)
	}
	if c := h.conv(); c.State != "second" || !c.IdleAt.IsZero() {
		t.Fatalf("state %q, idle at %v; want second, spent", c.State, c.IdleAt)
	}
}

// TestIdleOutsideTheWindow checks that a timer running out after WhatsApp's
// 24-hour window closed (the shopper's message was delivered late) sends
// nothing, and is cleared on the conversation, so that a later commit
// (a reaction, here) does not bring it back.
func TestIdleOutsideTheWindow(t *testing.T) {
	h := idleHarness(t, nil)
	h.send(whatsapp.Event{Kind: whatsapp.KindText, Text: "hi", Timestamp: h.now.Add(-23 * time.Hour)})
	h.now = h.now.Add(2 * time.Hour)
	if got := h.pass(); len(got) != 0 {
		t.Fatalf("outside the window: sent %q", got)
	}
	if c := h.conv(); c.State != "browse" || !c.IdleAt.IsZero() {
		t.Fatalf("state %q, idle at %v; want browse, cleared", c.State, c.IdleAt)
	}
	h.send(whatsapp.Event{Kind: whatsapp.KindOther, Type: "reaction"})
	if got := h.idleIndex(); len(got) != 0 {
		t.Fatalf("the index after a reaction: %v", got)
	}
	if !strings.Contains(h.logs.String(), IdleNotTemplates) {
		t.Errorf("not logged:\n%s", h.logs)
	}
}

// TestIdleEndsWithAHandoff checks that handing the shopper to a person
// ends the timer, so that no reminder follows the operator's resume.
func TestIdleEndsWithAHandoff(t *testing.T) {
	h := idleHarness(t, nil)
	h.text("hi")
	h.text("human")
	if c := h.conv(); !c.HandedOff() || !c.IdleAt.IsZero() {
		t.Fatalf("handed off %v, idle at %v", c.HandedOff(), c.IdleAt)
	}
	if _, _, err := h.st.Resume(context.Background(), h.phone); err != nil {
		t.Fatal(err)
	}
	h.now = h.now.Add(3 * time.Hour)
	if got := h.pass(); len(got) != 0 {
		t.Fatalf("after the resume: sent %q", got)
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

// TestIdleOnceAcrossEngines checks that the idle runners of several
// processes running at once remind the shopper once, and run the
// reminder's handler once: each claims a timer before running it.
func TestIdleOnceAcrossEngines(t *testing.T) {
	h, engines := dueOnEngines(t, 4)
	nudgedRuns.Store(0)
	var wg sync.WaitGroup
	for _, e := range engines {
		wg.Go(func() {
			if _, err := e.IdlePass(context.Background(), h.st); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := h.rec.take(); !eq(got, []string{"text:Still thinking, Asha?"}) {
		t.Fatalf("four engines sent %q", got)
	}
	if n := nudgedRuns.Load(); n != 1 {
		t.Fatalf("the reminder's handler ran %d times", n)
	}
}

// dueOnEngines is a harness whose shopper's timer ran out, and n engines
// on its store, as n processes would run.
func dueOnEngines(t *testing.T, n int) (*harness, []*Engine) {
	h := idleHarness(t, nil)
	h.text("hi")
	h.now = h.now.Add(2 * time.Hour)
	engines := make([]*Engine, n)
	for i := range engines {
		h.restart()
		engines[i] = h.eng
	}
	return h, engines
}

// TestIdleOnceWithoutClaims checks what the claim adds to: engines calling
// Idle at once still commit one move and send one reminder.
func TestIdleOnceWithoutClaims(t *testing.T) {
	h, engines := dueOnEngines(t, 4)
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

// TestIdleBadConversationBlocksNoOne checks that a conversation that does
// not decode is logged and its timer dropped, and the timers behind it run.
func TestIdleBadConversationBlocksNoOne(t *testing.T) {
	h := idleHarness(t, nil)
	h.phone = "919800000001"
	h.text("hi")
	h.now = h.now.Add(time.Minute)
	h.phone = "919800000002"
	h.text("hi")
	ctx := context.Background()
	if err := h.st.Client().HSet(ctx, storetestConvKey(h, "919800000001"), "d", `{"state":"browse","last_active":"not a time"}`).Err(); err != nil {
		t.Fatal(err)
	}
	h.restart() // no cached copy
	h.now = h.now.Add(2 * time.Hour)
	if got := h.pass(); !eq(got, []string{"text:Still thinking, Asha?"}) {
		t.Fatalf("sent %q, want the second shopper's reminder", got)
	}
	if got := h.idleIndex(); len(got) != 0 {
		t.Fatalf("index %v", got)
	}
	if !strings.Contains(h.logs.String(), "idle timer dropped: the conversation does not decode") {
		t.Errorf("not logged:\n%s", h.logs)
	}
}

// storetestConvKey finds the key of phone's conversation in the harness's
// store, whatever its prefix.
func storetestConvKey(h *harness, phone string) string {
	h.t.Helper()
	keys, err := h.st.Client().Keys(context.Background(), "*{"+phone+"}:conv").Result()
	if err != nil || len(keys) != 1 {
		h.t.Fatalf("conversation key of %s: %v, %v", phone, keys, err)
	}
	return keys[0]
}

// TestIdleRacesAMessage checks that a reminder and a message from the
// shopper committed at once by two processes are applied one after the
// other, in either order, never both on the same conversation: the
// message wins and no reminder follows, or the reminder goes first and
// the message is read in its state.
func TestIdleRacesAMessage(t *testing.T) {
	for i := range 20 {
		h, engines := dueOnEngines(t, 2)
		var wg sync.WaitGroup
		wg.Go(func() {
			if _, err := engines[0].Idle(context.Background(), h.phone); err != nil {
				t.Error(err)
			}
		})
		wg.Go(func() {
			ev := whatsapp.Event{Kind: whatsapp.KindText, Text: "quiet", ID: "wamid.race", From: h.phone, Name: "Asha", Timestamp: h.now}
			if _, err := engines[1].Handle(context.Background(), ev); err != nil {
				t.Error(err)
			}
		})
		wg.Wait()
		got, state := h.rec.take(), h.conv().State
		slices.Sort(got) // each process hands its replies on after its own commit, in any order
		messageFirst := eq(got, []string{"text:ok"}) && state == "quiet"
		reminderFirst := eq(got, []string{"text:Our teas", "text:Still thinking, Asha?"}) && state == "browse"
		if !messageFirst && !reminderFirst {
			t.Fatalf("run %d: sent %q, state %q", i, got, state)
		}
	}
}
