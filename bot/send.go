package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/souk-commerce/souk/bot/outbox"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/store"
)

// ErrBadPhone is returned by Send for a recipient that is neither a phone
// number nor a business-scoped user id (whatsapp.ValidShopper).
var ErrBadPhone = errors.New("bot: not an E.164 phone number or a WhatsApp user id")

// ErrUnsendable is Send's error for a message Config.Refuse refuses: this
// process's sender is known not to send it, so it was not queued.
var ErrUnsendable = errors.New("bot: this server cannot send the message")

// ErrStoreUnavailable wraps the store error that kept Send or Reengage from
// reading the shopper or queueing the message: nothing was sent, and the
// same call may succeed later.
var ErrStoreUnavailable = errors.New("bot: store unavailable")

func unavailable(err error) error { return fmt.Errorf("%w: %w", ErrStoreUnavailable, err) }

// Send sends one message to a shopper outside any inbound event (an
// operator's re-engagement, say), through the same Dispatcher as the
// flow's replies, with the flow's extra_info defaults. A session message
// outside the shopper's 24-hour window is refused with a *WindowError
// (errors.Is ErrOutsideWindow); a template may always be sent. It returns
// souk's id of the outgoing message (extra_info.ref unless the flow sets
// ref).
func (e *Engine) Send(ctx context.Context, phone string, m whatsapp.Message) (string, error) {
	phone = whatsapp.ShopperID(phone)
	if !whatsapp.ValidShopper(phone) {
		return "", fmt.Errorf("%w: %s", ErrBadPhone, MaskPhone(phone)) // errors are logged
	}
	if err := whatsapp.Validate(m); err != nil {
		return "", err
	}
	if e.cfg.Refuse != nil {
		if err := e.cfg.Refuse(m); err != nil {
			return "", fmt.Errorf("%w: %w", ErrUnsendable, err)
		}
	}
	conv, err := e.cfg.Store.Load(ctx, phone)
	if err != nil {
		return "", unavailable(err)
	}
	conv.Phone = phone
	out := e.address(e.Flow(), conv, []whatsapp.Message{m})
	if err := CheckWindow(phone, conv.LastInbound, e.cfg.Clock(), m); err != nil {
		e.log.Error("message not sent", "id", out[0].ID, "kind", m.Kind(), "shopper", MaskPhone(phone), "err", err)
		e.refuse(ctx, []refusal{{out: out[0], err: err}}, false)
		return "", err
	}
	out[0].SendBy = sendBy(conv.LastInbound, m)
	if err := e.deliver(ctx, conv, out); err != nil {
		return "", err
	}
	e.log.Info("message sent by an operator", "id", out[0].ID, "kind", m.Kind(), "shopper", MaskPhone(phone))
	return out[0].ID, nil
}

// deliver hands messages that no inbound event produced to the outbox (in
// outbox mode) and to the Dispatcher.
func (e *Engine) deliver(ctx context.Context, conv store.Conversation, out []whatsapp.Outbound) error {
	if e.cfg.Outbox {
		if err := e.queue(ctx, conv, out); err != nil {
			return unavailable(err)
		}
	}
	if e.cfg.Dispatcher == nil {
		return nil
	}
	return e.cfg.Dispatcher.Dispatch(ctx, out)
}

// queue commits messages into the shopper's outbox together with their
// conversation, unchanged, so they take their place in the same ordered
// queue as the flow's replies.
func (e *Engine) queue(ctx context.Context, conv store.Conversation, out []whatsapp.Outbound) error {
	msgs, err := outbox.EncodeAll(out)
	if err != nil {
		return err
	}
	for range e.cfg.MaxConflicts {
		err = e.cfg.Store.Commit(ctx, store.Commit{Conversation: conv, TTL: keepFor(e.Flow(), conv), Outbox: msgs})
		if !errors.Is(err, store.ErrConflict) {
			return err
		}
		if conv, err = e.cfg.Store.Load(ctx, conv.Phone); err != nil {
			return err
		}
	}
	return ErrTooManyConflicts
}
