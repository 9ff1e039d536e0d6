package bot

import (
	"context"
	"log/slog"
	"time"

	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/outbox"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/store"
)

// Dispatcher takes the replies of one committed move and sees them
// delivered, in order. In outbox mode they include the replies the 24-hour
// window refused, committed with the move with their SendBy passed, which
// must be dead-lettered, not sent (the outbox runner does so).
// Implementations are safe for concurrent use.
type Dispatcher interface {
	Dispatch(ctx context.Context, msgs []whatsapp.Outbound) error
}

// LeasedDispatcher is a Dispatcher that can also take a shopper's outbox
// leased when the replies were committed into it, so that its sender need
// not lease the outbox and read the replies back (bot/outbox's Runner is
// one). The engine leases the outbox only when the store is a
// store.CommitLeaser.
type LeasedDispatcher interface {
	Dispatcher
	// LeaseFor is how long to lease the outbox for; 0 means not at all.
	LeaseFor() time.Duration
	// DispatchLeased takes the outbox of phone, leased with token and
	// holding exactly the committed replies; head is the outbox entry of
	// msg, the first of them. It must not block.
	DispatchLeased(phone, token string, head store.OutMessage, msg whatsapp.Outbound)
}

// QueuedDispatcher is a LeasedDispatcher that can also be told of replies
// committed into an outbox a sender already holds: that sender finds them
// as it records its sends, and keeping them spares it reading them back
// (bot/outbox's Runner is one).
type QueuedDispatcher interface {
	LeasedDispatcher
	// Queued tells of msgs, committed behind the send in progress to
	// phone. It must not block.
	Queued(phone string, msgs []whatsapp.Outbound)
}

// Direct is a Dispatcher that sends each reply at once through a Sender,
// in order, logging failures; it keeps nothing.
type Direct struct {
	Sender kaleyra.Sender
	Log    *slog.Logger
}

// Dispatch implements Dispatcher.
func (d Direct) Dispatch(ctx context.Context, msgs []whatsapp.Outbound) error {
	for _, m := range msgs {
		if _, err := d.Sender.Send(ctx, m); err != nil {
			d.Log.Error("reply not sent", "id", m.ID, "kind", m.Message.Kind(), "err", err)
		}
	}
	return nil
}

// The outbox runner must stay a QueuedDispatcher, or the engine would
// quietly stop handing it outboxes leased at commit and the replies queued
// behind a send.
var _ QueuedDispatcher = (*outbox.Runner)(nil)
