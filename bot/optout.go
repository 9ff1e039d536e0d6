package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/handlers"
	"github.com/souk-commerce/souk/store"
)

// ErrOptedOut is returned by Reengage for a shopper who opted out of
// messages they did not ask for (the opt_out built-in handler).
var ErrOptedOut = errors.New("bot: the shopper opted out of reminders and re-engagement")

// IdleOptedOut is the reason Result.Ignored gives for a reminder not sent
// to a shopper who opted out.
const IdleOptedOut = "the shopper opted out of reminders"

// optChange is what the move's commit records of the shopper's choice a
// handler made (handlers.Conversation.OptOut, OptIn): in the commit's own
// step, so that a duplicate webhook or a move refused by a conflict
// records nothing.
func (e *Engine) optChange(opt handlers.Opt) store.OptChange {
	switch opt {
	case handlers.OptedOut:
		return store.OptChange{Set: true, At: e.cfg.Clock()}
	case handlers.OptedIn:
		return store.OptChange{Set: true}
	}
	return store.OptChange{}
}

// logOpt logs the choice a committed move recorded.
func (e *Engine) logOpt(mv move) {
	switch mv.opt {
	case handlers.OptedOut:
		e.log.Info("shopper opted out of reminders and re-engagement", "shopper", MaskPhone(mv.conv.Phone))
	case handlers.OptedIn:
		e.log.Info("shopper opted in to reminders and re-engagement", "shopper", MaskPhone(mv.conv.Phone))
	}
}

// OptedOut reports whether phone (any form whatsapp.Digits reads) opted
// out of messages they did not ask for: reminders and re-engagement
// templates. A store that cannot keep opt-outs reports none.
func (e *Engine) OptedOut(ctx context.Context, phone string) (bool, error) {
	at, err := e.OptedOutSince(ctx, phone)
	if errors.Is(err, ErrNoOptOuts) {
		return false, nil
	}
	return !at.IsZero(), err
}

// ErrNoOptOuts is returned when the store cannot keep opt-outs.
var ErrNoOptOuts = errors.New("bot: the store does not keep opt-outs")

// OptedOutSince returns when phone opted out, zero when they have not.
func (e *Engine) OptedOutSince(ctx context.Context, phone string) (time.Time, error) {
	o, ok := e.cfg.Store.(store.OptOuts)
	if !ok {
		return time.Time{}, ErrNoOptOuts
	}
	return o.OptedOut(ctx, whatsapp.ShopperID(phone))
}

// SetOptOut records, outside any flow, that phone opted out (out) or in
// again: an operator's hand, for a stop a shopper sent while handed off
// to a person, or through another channel.
func (e *Engine) SetOptOut(ctx context.Context, phone string, out bool) error {
	phone = whatsapp.ShopperID(phone)
	if !whatsapp.ValidShopper(phone) {
		return fmt.Errorf("%w: %s", ErrBadPhone, MaskPhone(phone))
	}
	o, ok := e.cfg.Store.(store.OptOuts)
	if !ok {
		return ErrNoOptOuts
	}
	at := time.Time{}
	if out {
		at = e.cfg.Clock()
	}
	if err := o.SetOptOut(ctx, phone, at); err != nil {
		return err
	}
	e.log.Info("opt-out set by an operator", "shopper", MaskPhone(phone), "opted_out", out)
	return nil
}
