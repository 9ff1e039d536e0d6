package kaleyra

import (
	"fmt"
	"log/slog"
)

// String describes c for logs and %v with the API key hidden.
func (c Config) String() string {
	return fmt.Sprintf("kaleyra.Config{APIKey:%s SID:%s Pod:%s Base:%s Number:%s WABAID:%s}",
		hidden(c.APIKey), c.SID, c.pod(), c.APIBase(), maskPhone(c.Number), c.WABAID)
}

// GoString is String, so that %#v hides the API key too.
func (c Config) GoString() string { return c.String() }

// LogValue logs c as a group with the API key hidden.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("api_key", hidden(c.APIKey)),
		slog.String("sid", c.SID),
		slog.String("pod", c.pod()),
		slog.String("base_url", c.APIBase()),
		slog.String("number", maskPhone(c.Number)),
		slog.String("waba_id", c.WABAID),
	)
}

// hidden says whether a secret is set without showing it.
func hidden(secret string) string {
	if secret == "" {
		return "unset"
	}
	return redactedText
}
