package bot

import (
	"errors"
	"fmt"
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

// Window is WhatsApp's customer-service window: a business may send session
// (non-template) messages to a shopper only within 24 hours of the
// shopper's last message. Templates may be sent at any time.
const Window = 24 * time.Hour

// ErrOutsideWindow is wrapped by the error for a session message that would
// be sent outside the customer-service window.
var ErrOutsideWindow = errors.New("outside the 24-hour customer-service window; only a template may be sent")

// WindowError says which message was refused and why.
type WindowError struct {
	Phone string
	Kind  string
	// LastInbound is the shopper's last message; zero when they never wrote.
	LastInbound time.Time
}

func (e *WindowError) Error() string {
	if e.LastInbound.IsZero() {
		return fmt.Sprintf("%s message to %s refused: the shopper never wrote: %v", e.Kind, MaskPhone(e.Phone), ErrOutsideWindow)
	}
	return fmt.Sprintf("%s message to %s refused: last message from the shopper %s: %v",
		e.Kind, MaskPhone(e.Phone), e.LastInbound.UTC().Format(time.RFC3339), ErrOutsideWindow)
}

// Unwrap returns ErrOutsideWindow.
func (e *WindowError) Unwrap() error { return ErrOutsideWindow }

// CheckWindow returns a *WindowError when m is a session message and now is
// more than Window after lastInbound (or the shopper never wrote); nil for
// a template or inside the window.
func CheckWindow(phone string, lastInbound, now time.Time, m whatsapp.Message) error {
	if m.Kind() == "template" {
		return nil
	}
	if !lastInbound.IsZero() && now.Sub(lastInbound) <= Window {
		return nil
	}
	return &WindowError{Phone: phone, Kind: m.Kind(), LastInbound: lastInbound}
}

// refusal is a reply the window forbids, with the reason.
type refusal struct {
	out whatsapp.Outbound
	err error
}

// inWindow splits replies into those the window allows and those it
// refuses, logging each refusal. lastInbound is never zero: observe has
// set it from the event (see writtenAt). The refused ones carry their
// SendBy too, already passed: in outbox mode the move's commit queues
// them, for the sender to dead-letter (see commit).
func (e *Engine) inWindow(phone string, lastInbound time.Time, out []whatsapp.Outbound) (kept []whatsapp.Outbound, refused []refusal) {
	now := e.cfg.Clock()
	kept = out[:0]
	for _, o := range out {
		if err := CheckWindow(phone, lastInbound, now, o.Message); err != nil {
			e.log.Error("reply not sent", "id", o.ID, "kind", o.Message.Kind(), "shopper", MaskPhone(phone), "err", err)
			o.SendBy = sendBy(lastInbound, o.Message)
			refused = append(refused, refusal{out: o, err: err})
			continue
		}
		o.SendBy = sendBy(lastInbound, o.Message)
		kept = append(kept, o)
	}
	return kept, refused
}

// sendBy is when the window allows m no longer: Window after the
// shopper's last message for a session message (to the second before, so
// that it is short in the outbox entry), never for a template.
func sendBy(lastInbound time.Time, m whatsapp.Message) time.Time {
	if m.Kind() == "template" {
		return time.Time{}
	}
	return lastInbound.Add(Window).Truncate(time.Second).UTC()
}
