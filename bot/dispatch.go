package bot

import (
	"context"
	"log/slog"

	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/whatsapp"
)

// Dispatcher takes the replies of one committed move and sees them
// delivered, in order. Implementations are safe for concurrent use.
type Dispatcher interface {
	Dispatch(ctx context.Context, msgs []whatsapp.Outbound) error
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
