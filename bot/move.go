package bot

import (
	"context"
	"errors"
	"fmt"

	"time"

	"github.com/looplab/fsm"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/handlers"
	"github.com/souk-commerce/souk/store"
)

// move is the outcome of one event before it is committed.
type move struct {
	trigger Trigger
	from    string
	conv    store.Conversation
	out     []whatsapp.Outbound
	handoff bool
	opt     handlers.Opt // see entered
	failed  string       // see entered
	failErr string       // see entered
	dropped int          // see entered
	apology bool         // see entered
}

// move computes the new conversation and its replies; it writes nothing.
// byShopper is false for a move a timer makes (Engine.Idle), which is not
// the shopper's activity.
func (e *Engine) move(ctx context.Context, f *flows.Flow, conv store.Conversation, ev whatsapp.Event, byShopper bool) (move, error) {
	now := e.cfg.Clock()
	mv := move{trigger: Resolve(f, conv, ev, now), from: conv.State}
	if byShopper && gathers(f, conv, mv.trigger) {
		return gather(f, conv, ev, mv, now), nil
	}
	conv, ev = e.endGathered(conv, mv.trigger, ev, byShopper)
	next, err := e.transition(ctx, f, conv.State, mv.trigger)
	if err != nil {
		return mv, err
	}
	before := conv
	if mv.trigger.Step == "start" {
		if conv.Exists() && conv.State != "" && f.States[conv.State] == nil { // "": a first start that failed
			e.log.Warn("conversation state no longer in flow; starting over", "state", conv.State, "flow", f.Name)
		}
		// a new session: an old cart, place or file is not this one's
		conv.Vars, conv.Order, conv.Location, conv.Media = nil, whatsapp.Order{}, whatsapp.Location{}, whatsapp.Media{}
	}
	if byShopper {
		conv = observe(conv, ev, now)
	}
	conv, saved := saveAnswer(f, conv, mv.trigger, ev)
	e.checkPrices(f, ev)
	en := e.enter(ctx, f, conv, input{ev: ev, key: keyOf(mv.trigger, ev)}, next)
	if err := ctx.Err(); err != nil { // the caller gave up: a handler cut short by it did not fail
		return mv, fmt.Errorf("move abandoned: %w", context.Cause(ctx))
	}
	if saved && en.failed == "" && en.dropped > 0 {
		en = e.answerRefused(f, before, en)
	}
	switch {
	case en.failed != "" && mv.trigger.startsOver():
		en.conv = unstarted(en.conv, before)
	case en.failed != "":
		// A failed move does not spend a resume, nor keep an answer.
		en.conv.ResumedAt, en.conv.Vars = before.ResumedAt, before.Vars
	}
	mv.conv, mv.out, mv.handoff, mv.failed, mv.failErr, mv.dropped = en.conv, en.out, en.handoff, en.failed, en.failErr, en.dropped
	mv.apology, mv.opt = en.apology, en.opt
	if byShopper && en.failed == "" { // a tap whose move failed may be tried again
		mv.conv = answered(f, mv.conv, ev)
	}
	mv.conv.IdleAt = idleDue(f, mv.conv.State, now)
	return mv, nil
}

// unstarted is conv, whose start failed in a handler, where it was before:
// its state (none, for a new shopper), vars, last activity and resume, so
// that the next message starts over again, whether the session had
// expired, never begun or was just resumed. What the event told of the
// shopper (name, last message, cart) is kept; an expired session's cart
// is not (see move).
func unstarted(conv, before store.Conversation) store.Conversation {
	conv.State, conv.Vars, conv.LastActive, conv.ResumedAt = before.State, before.Vars, before.LastActive, before.ResumedAt
	return conv
}

// transition runs the trigger on a looplab/fsm machine of the flow's event
// table (see machines) and returns the state it lands in.
func (e *Engine) transition(ctx context.Context, f *flows.Flow, current string, t Trigger) (string, error) {
	if t == Reenter {
		return current, nil
	}
	if f.States[current] == nil {
		current = f.Start.State
	}
	m, done := e.machines.get(f, current)
	defer done()
	err := m.Event(ctx, t.Event)
	var same fsm.NoTransitionError
	if err != nil && !errors.As(err, &same) {
		return "", fmt.Errorf("flow %s: event %s from %s: %w", f.Name, t.Event, current, err)
	}
	return m.Current(), nil
}

// plausibleSince is the earliest message timestamp taken at its word.
var plausibleSince = time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)

// writtenAt is when the shopper wrote ev, by the platform's timestamp (the
// 24-hour window counts from it, not from a late delivery); a missing or
// implausible timestamp (before 2010, or ahead of our clock) counts as now.
func writtenAt(ev whatsapp.Event, now time.Time) time.Time {
	if ev.Timestamp.Before(plausibleSince) || ev.Timestamp.After(now) {
		return now
	}
	return ev.Timestamp
}

// asideWhy says why ev is to be taken as an aside, answering nothing: it
// is a reaction or a system notice, or a tap repeating one already taken
// in a flow with stale_taps: ignore; "" when it is not.
func asideWhy(f *flows.Flow, conv store.Conversation, ev whatsapp.Event, now time.Time) string {
	switch {
	case ev.Aside():
		return IgnoredAside
	case staleTap(f, conv, ev, now):
		return IgnoredStaleTap
	}
	return ""
}

// aside records what an aside (a reaction, a system notice) tells of the
// shopper, their name and that they wrote, which keeps the 24-hour window
// open, without moving the conversation, counting as activity or spending
// a resume. A shopper with no conversation gets none.
func (e *Engine) aside(ctx context.Context, f *flows.Flow, conv store.Conversation, ev whatsapp.Event) error {
	if !conv.Exists() {
		return nil
	}
	// Kept as long as after any message, for the window it opened; the
	// session still ends by LastActive (see Resolve), and a new one drops
	// the old cart.
	conv = heard(conv, ev, e.cfg.Clock())
	return e.cfg.Store.Commit(ctx, store.Commit{Conversation: conv, MessageID: ev.ID, TTL: keepFor(f, conv)})
}

// heard records what any message tells of the shopper: their name, and
// when they last wrote.
func heard(c store.Conversation, ev whatsapp.Event, now time.Time) store.Conversation {
	if ev.Name != "" {
		c.Name = ev.Name
	}
	if at := writtenAt(ev, now); at.After(c.LastInbound) {
		c.LastInbound = at
	}
	return c
}

// observe records what an inbound event that moves the conversation tells
// of the shopper: what heard does, their activity (which ends a resume),
// and their cart, the place they shared or the file they sent.
func observe(c store.Conversation, ev whatsapp.Event, now time.Time) store.Conversation {
	c = heard(c, ev, now)
	c.LastActive, c.ResumedAt = now, time.Time{}
	if ev.Kind == whatsapp.KindOrder && ev.Order != nil {
		c.Order = *ev.Order
	}
	if ev.Kind == whatsapp.KindLocation && ev.Location != nil {
		c.Location = *ev.Location
	}
	if ev.Kind == whatsapp.KindMedia && ev.Media != nil {
		c.Media = *ev.Media
	}
	return c
}
