package kaleyra

import (
	"context"
	"log/slog"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

// Sender sends one outbound WhatsApp message through Kaleyra. Implementations
// are safe for concurrent use. Send returns an error that Retryable reports as
// worth retrying only when another attempt may succeed unchanged.
type Sender interface {
	Send(ctx context.Context, out whatsapp.Outbound) (Result, error)
}

// Result is Kaleyra's answer to an accepted request.
type Result struct {
	// MessageID is Kaleyra's data.message_id; it may be empty when a 2xx
	// answer carried no readable body.
	MessageID string
	// Status is the HTTP status code of the answer (202 normally).
	Status int
}

var (
	_ Sender = (*Client)(nil)
	_ Sender = (*DryRun)(nil)
)

// NewSender returns a Client when cfg has an API key and a DryRun logging to
// logger when it has none. It fails when cfg does not validate.
func NewSender(cfg Config, logger *slog.Logger) (Sender, error) {
	if cfg.APIKey == "" {
		if err := cfg.Validate(); err != nil {
			return nil, err
		}
		return NewDryRun(logger, cfg), nil
	}
	return New(cfg)
}
