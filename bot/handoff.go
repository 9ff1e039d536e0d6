package bot

import (
	"context"
	"errors"
	"strconv"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/store"
)

// ErrNoHandoff is returned when the store cannot pause conversations.
var ErrNoHandoff = errors.New("bot: the store does not support handoff")

// handoffs returns the store's Handoffs, if it has them.
func (e *Engine) handoffs() (store.Handoffs, bool) {
	h, ok := e.cfg.Store.(store.Handoffs)
	return h, ok
}

// hold keeps ev for an operator when its shopper is handed off: the
// conversation records the message (dedup, window, last activity, the held
// list) in one commit but does not move or answer. It reports whether ev
// was held.
func (e *Engine) hold(ctx context.Context, f *flows.Flow, conv store.Conversation, ev whatsapp.Event) (bool, error) {
	if !conv.HandedOff() {
		return false, nil
	}
	if conv.State == "" {
		conv.State = f.Start.State
	}
	conv = observe(conv, ev, e.cfg.Clock())
	conv.Hold(store.Held{ID: ev.ID, At: ev.Timestamp, Kind: string(ev.Kind), Text: heldText(ev)})
	err := e.cfg.Store.Commit(ctx, store.Commit{Conversation: conv, MessageID: ev.ID, TTL: f.SessionTTL})
	if errors.Is(err, store.ErrDuplicate) {
		return true, nil
	}
	return true, err
}

func heldText(ev whatsapp.Event) string {
	if ev.Kind == whatsapp.KindOrder && ev.Order != nil {
		return Summarize(*ev.Order)
	}
	return ev.Text
}

// Summarize is a one-line description of a cart, for operators.
func Summarize(o whatsapp.Order) string {
	s := "cart:"
	for _, it := range o.Items {
		s += " " + strconv.Itoa(it.Quantity) + "x " + it.ID
	}
	return s
}

// Resume lets the flow answer phone again after a handoff. It reports
// whether phone was paused and returns the messages held meanwhile.
func (e *Engine) Resume(ctx context.Context, phone string) (bool, []store.Held, error) {
	hs, ok := e.handoffs()
	if !ok {
		return false, nil, ErrNoHandoff
	}
	was, held, err := hs.Resume(ctx, whatsapp.Digits(phone))
	if err == nil && was {
		e.log.Info("handoff resumed; the bot answers again", "shopper", MaskPhone(phone), "held", len(held))
	}
	return was, held, err
}
