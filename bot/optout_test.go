package bot

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
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
