package bot

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

// Redacted replaces a secret in log records.
const Redacted = "[redacted]"

// MinRedacted is the shortest secret RedactSecrets looks for: a shorter one
// would match ordinary words ("k" in every log line) and cannot be kept
// secret by redaction anyway.
const MinRedacted = 6

// RedactSecrets returns a slog.Handler that passes every record to h with
// each of secrets replaced by Redacted, wherever it appears: in the message,
// in string, error and other values, and inside groups. It is a safety net
// under the rule that code never logs secrets; secrets shorter than
// MinRedacted are ignored.
func RedactSecrets(h slog.Handler, secrets ...string) slog.Handler {
	var keep []string
	for _, s := range secrets {
		if len(s) >= MinRedacted {
			keep = append(keep, s)
		}
	}
	if len(keep) == 0 {
		return h
	}
	return &redactor{h: h, secrets: keep}
}

// redactor is the handler RedactSecrets returns.
type redactor struct {
	h       slog.Handler
	secrets []string
}

// Enabled implements slog.Handler.
func (r *redactor) Enabled(ctx context.Context, l slog.Level) bool { return r.h.Enabled(ctx, l) }

// Handle implements slog.Handler.
func (r *redactor) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, r.clean(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(r.attr(a))
		return true
	})
	return r.h.Handle(ctx, out)
}

// WithAttrs implements slog.Handler.
func (r *redactor) WithAttrs(as []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(as))
	for i, a := range as {
		clean[i] = r.attr(a)
	}
	return &redactor{h: r.h.WithAttrs(clean), secrets: r.secrets}
}

// WithGroup implements slog.Handler.
func (r *redactor) WithGroup(name string) slog.Handler {
	return &redactor{h: r.h.WithGroup(name), secrets: r.secrets}
}

func (r *redactor) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(r.clean(a.Key), r.clean(v.String()))
	case slog.KindGroup:
		as := v.Group()
		clean := make([]any, len(as))
		for i, g := range as {
			clean[i] = r.attr(g)
		}
		return slog.Group(r.clean(a.Key), clean...)
	case slog.KindAny:
		if s := fmt.Sprint(v.Any()); r.has(s) {
			return slog.String(a.Key, r.clean(s))
		}
	}
	return slog.Attr{Key: r.clean(a.Key), Value: v}
}

func (r *redactor) has(s string) bool {
	for _, x := range r.secrets {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

func (r *redactor) clean(s string) string {
	for _, x := range r.secrets {
		s = strings.ReplaceAll(s, x, Redacted)
	}
	return s
}

// hidePhone returns err's text with the full phone number masked, for logs
// of errors whose text the engine does not control (handlers, templates).
func hidePhone(err error, phone string) string {
	if err == nil {
		return ""
	}
	return whatsapp.HidePhone(err.Error(), phone)
}
