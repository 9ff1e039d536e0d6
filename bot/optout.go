package bot

import (
	"context"
	"errors"
	"time"

	"github.com/souk-commerce/souk/handlers"
	"github.com/souk-commerce/souk/store"
)

// ErrOptedOut is returned by Reengage for a shopper who opted out of
// messages they did not ask for (the opt_out built-in handler).
var ErrOptedOut = errors.New("bot: the shopper opted out of reminders and re-engagement")

// IdleOptedOut is the reason Result.Ignored gives for a reminder not sent
// to a shopper who opted out.
const IdleOptedOut = "the shopper opted out of reminders"

// applyOpt records the shopper's choice a handler of the move made
// (handlers.Conversation.OptOut, OptIn), before the move is committed: a
// failure leaves the move uncommitted, to be tried again, and a move that
// then fails to commit has recorded only what the shopper asked for.
func (e *Engine) applyOpt(ctx context.Context, phone string, opt handlers.Opt) error {
	if opt == handlers.OptUnchanged {
		return nil
	}
	o, ok := e.cfg.Store.(store.OptOuts)
	if !ok {
		e.log.Warn("opt-out not recorded: the store cannot keep it", "shopper", MaskPhone(phone))
		return nil
	}
	at := time.Time{}
	if opt == handlers.OptedOut {
		at = e.cfg.Clock()
	}
	if err := o.SetOptOut(ctx, phone, at); err != nil {
		return err
	}
	what := "shopper opted in to reminders and re-engagement"
	if opt == handlers.OptedOut {
		what = "shopper opted out of reminders and re-engagement"
	}
	e.log.Info(what, "shopper", MaskPhone(phone))
	return nil
}

// OptedOut reports whether phone opted out of messages they did not ask
// for: reminders and re-engagement templates. A store that cannot keep
// opt-outs reports none.
func (e *Engine) OptedOut(ctx context.Context, phone string) (bool, error) {
	o, ok := e.cfg.Store.(store.OptOuts)
	if !ok {
		return false, nil
	}
	at, err := o.OptedOut(ctx, phone)
	return !at.IsZero(), err
}
