package kaleyra

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

// DryRun is a Sender that sends nothing: it logs each request a Client would
// make and answers with message ids "dryrun-1", "dryrun-2", and so on. It is
// safe for concurrent use once its fields are set.
type DryRun struct {
	// Log receives one Info record per request; nil means slog.Default().
	// The shopper's number is masked in the logged body.
	Log *slog.Logger
	// Config gives the path; missing values show as {SID}, {NUMBER} and
	// {WABA_ID}.
	Config Config
	// OnSend, when set, sees every request with its exact body, for a
	// terminal chat or a web simulator. It may be called concurrently and
	// must not keep body past its return.
	OnSend func(method, path string, body []byte)

	n atomic.Uint64
}

// NewDryRun returns a DryRun logging to logger with the paths of cfg.
func NewDryRun(logger *slog.Logger, cfg Config) *DryRun {
	return &DryRun{Log: logger, Config: cfg}
}

// Send logs the request out would make and returns a 202 Result. It fails
// only when out cannot be encoded.
func (d *DryRun) Send(ctx context.Context, out whatsapp.Outbound) (Result, error) {
	body, waba, err := out.Request()
	if err != nil {
		return Result{}, fmt.Errorf("kaleyra: building request: %w", err)
	}
	path := messagesPath(d.Config, waba)
	id := fmt.Sprintf("dryrun-%d", d.n.Add(1))
	d.logger().InfoContext(ctx, "kaleyra dry run",
		"method", http.MethodPost, "path", path, "message_id", id,
		"to", maskPhone(out.To), "body", maskIn(string(body), out.To))
	if d.OnSend != nil {
		d.OnSend(http.MethodPost, path, body)
	}
	return Result{MessageID: id, Status: http.StatusAccepted}, nil
}

// logger returns Log or the default logger.
func (d *DryRun) logger() *slog.Logger {
	if d.Log == nil {
		return slog.Default()
	}
	return d.Log
}

// maskIn replaces the digits of phone, wherever they occur in s, by their
// masked form.
func maskIn(s, phone string) string {
	p := digits(phone)
	if p == "" {
		return s
	}
	return strings.ReplaceAll(s, p, maskPhone(p))
}

// maskPhone keeps the last four digits of a number and stars the rest.
func maskPhone(phone string) string {
	p := digits(phone)
	if len(p) <= 4 {
		return strings.Repeat("*", len(p))
	}
	return strings.Repeat("*", len(p)-4) + p[len(p)-4:]
}
