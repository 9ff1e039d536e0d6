package webhook

import (
	"fmt"
	"log/slog"
)

// String describes c for logs and %v with every secret hidden.
func (c Config) String() string {
	return fmt.Sprintf("webhook.Config{VerifyToken:%s AppSecret:%s Token:%s TokenHeader:%s}",
		hidden(c.VerifyToken), hidden(c.AppSecret), hidden(c.Token), c.TokenHeader)
}

// GoString is String, so that %#v hides the secrets too.
func (c Config) GoString() string { return c.String() }

// LogValue logs c as a group with every secret hidden.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("verify_token", hidden(c.VerifyToken)),
		slog.String("app_secret", hidden(c.AppSecret)),
		slog.String("token", hidden(c.Token)),
		slog.String("token_header", c.TokenHeader),
	)
}

// hidden says whether a secret is set without showing it.
func hidden(secret string) string {
	if secret == "" {
		return "unset"
	}
	return "[redacted]"
}
