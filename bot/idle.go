package bot

import (
	"context"
	"errors"
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/handlers"
	"github.com/souk-commerce/souk/store"
)

// Reasons Result.Ignored gives for an idle timer that moved nothing.
const (
	IdleNotDue     = "idle timer not due: the shopper wrote, or the conversation moved on"
	IdleNoState    = "the state has no idle any more"
	IdleOver       = "the conversation is over"
	IdleHandedOff  = "handed off to a person"
	IdleOutsideWin = "the 24-hour window is closed"
	// IdleNotTemplates: past the window WhatsApp takes only templates.
	IdleNotTemplates = "the 24-hour window is closed, and the reminder's state sends more than templates"
)

// idleDue is when the idle timer of state, entered now, runs out; zero
// when the state has none. It is whole milliseconds, as the store's index
// keeps it, so that the timer is due when the index says so.
func idleDue(f *flows.Flow, state string, now time.Time) time.Time {
	st := f.States[state]
	if st == nil || st.Idle.To.State == "" {
		return time.Time{}
	}
	return now.Add(st.Idle.After).Truncate(time.Millisecond)
}

// Idle moves a shopper whose state's idle timer has run out into the
// state's idle.to, as a message would, sending that state's messages. It
// moves nothing, and says why in Result.Ignored, when the timer is not due
// (the shopper wrote since, or the conversation moved on), the state has
// no idle (the flow changed), the conversation is over or with a person,
// WhatsApp's 24-hour window has closed and the reminder's state sends more
// than templates, or the shopper opted out (IdleOptedOut); in the last
// four cases but an expired conversation, the timer, which will never
// run, is cleared on the conversation. Two processes running the same
// timer move the conversation once: the commit's version check refuses
// the second, whose retry then finds the timer spent (IdlePass claims a
// timer first, so that its handler runs in one process only). A move that
// would answer with error_text (a handler failed, or every message failed
// to render) leaves the conversation where it was, the timer spent, and
// sends nothing: the shopper did not ask for anything.
//
// The same timer sends on an answer a state's gather holds: when the
// shopper has typed nothing more for the gather, the held text takes the
// state's text route as one typed message. That move is the shopper's
// answer, so when it fails they get error_text.
func (e *Engine) Idle(ctx context.Context, phone string) (Result, error) {
	ev := whatsapp.Event{Kind: whatsapp.KindIdle, From: phone}
	for try := 0; try < e.cfg.MaxConflicts; try++ {
		res, done, err := e.idleAttempt(ctx, ev)
		if errors.Is(err, store.ErrConflict) {
			if err := e.conflicted(ctx, try); err != nil {
				return res, err
			}
			continue
		}
		if err != nil {
			return res, err
		}
		if res.Ignored == "" && res.Trigger.Step == "idle" { // not a held answer's move
			e.cfg.Metrics.Event(string(ev.Kind))
		}
		return e.finish(ctx, res, done)
	}
	return Result{Phone: phone}, ErrTooManyConflicts
}

func (e *Engine) idleAttempt(ctx context.Context, ev whatsapp.Event) (Result, committed, error) {
	res := Result{Phone: ev.From}
	f := e.Flow()
	conv, err := e.cfg.Store.Load(ctx, ev.From)
	if err != nil {
		return res, committed{}, err
	}
	if res.Ignored = e.idleMoot(f, conv); res.Ignored != "" {
		return res, committed{}, e.idleMooted(ctx, f, conv, res.Ignored)
	}
	held := conv.Gathered != ""
	if held { // the shopper's answer, typed in pieces: it takes the text route now
		ev = gatheredEvent(conv)
	} else if out, err := e.OptedOut(ctx, conv.Phone); err != nil || out {
		if err == nil {
			res.Ignored = IdleOptedOut
			err = e.idleMooted(ctx, f, conv, IdleOptedOut)
		}
		return res, committed{}, err
	}
	mv, err := e.move(ctx, f, conv, ev, false)
	if err != nil {
		return res, committed{}, err
	}
	if !held && (mv.failed != "" || mv.apology) { // no error_text out of the blue; the timer is spent
		mv.conv, mv.out, mv.handoff, mv.opt = conv, nil, false, handlers.OptUnchanged
		mv.conv.IdleAt = time.Time{}
	}
	if !held && mv.conv.State == mv.from { // a handler sent it back (require_cart): remind once, not again and again
		mv.conv.IdleAt = time.Time{}
	}
	refused := e.seal(&mv)
	done, err := e.commit(ctx, f, ev, mv, refused)
	if err != nil {
		return res, committed{}, err
	}
	e.refuse(ctx, refused, e.cfg.Outbox)
	e.logOpt(mv)
	what := "idle timer ran out"
	if held {
		what = "held answer taken"
	}
	e.log.Info(what, "shopper", MaskPhone(ev.From), "from", mv.from, "to", mv.conv.State, "sent", len(mv.out))
	res.Trigger, res.From, res.To, res.Sent = mv.trigger, mv.from, mv.conv.State, len(mv.out)
	res.HandlerFailed, res.HandlerError, res.Dropped = mv.failed, mv.failErr, mv.dropped
	return res, done, nil
}

// idleMooted logs why a timer did not run, when the reason is news, and
// clears on the conversation a timer that will never run, so that no
// later commit puts it back in the index. An expired conversation is left
// to expire.
func (e *Engine) idleMooted(ctx context.Context, f *flows.Flow, conv store.Conversation, why string) error {
	if why == IdleNotDue {
		return nil
	}
	e.log.Info("idle timer not run", "shopper", MaskPhone(conv.Phone), "state", conv.State, "why", why)
	if why == IdleOver || conv.IdleAt.IsZero() && conv.Gathered == "" {
		return nil
	}
	conv.IdleAt, conv.Gathered = time.Time{}, ""
	return e.cfg.Store.Commit(ctx, store.Commit{Conversation: conv, TTL: keepFor(f, conv)})
}

// idleMoot says why conv's idle timer moves nothing now, or "".
func (e *Engine) idleMoot(f *flows.Flow, conv store.Conversation) string {
	now := e.cfg.Clock()
	st := f.States[conv.State]
	switch {
	case !conv.Exists() || now.Sub(conv.LastActive) > f.SessionTTL:
		return IdleOver
	case conv.IdleAt.IsZero() || conv.IdleAt.After(now):
		return IdleNotDue
	case conv.Gathered == "" && (st == nil || st.Idle.To.State == "" || f.States[st.Idle.To.State] == nil):
		return IdleNoState
	case conv.HandedOff():
		return IdleHandedOff
	case conv.LastInbound.IsZero() || now.Sub(conv.LastInbound) > Window && conv.Gathered != "":
		return IdleOutsideWin
	case now.Sub(conv.LastInbound) > Window && !f.States[st.Idle.To.State].SendsOnlyTemplates():
		// A reminder into templates only may still run (the window refuses
		// any other message a handler there sends, as always).
		return IdleNotTemplates
	}
	return ""
}
