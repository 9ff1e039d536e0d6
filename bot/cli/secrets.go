package cli

import (
	"log/slog"
	"net/url"

	"github.com/souk-commerce/souk/bot"
)

// redactedLogger returns log with every secret of c hidden from its records:
// the Kaleyra API key, the webhook secrets and the Redis password.
func redactedLogger(log *slog.Logger, c serveConfig) *slog.Logger {
	return slog.New(bot.RedactSecrets(log.Handler(), secretsOf(c)...))
}

func secretsOf(c serveConfig) []string {
	s := []string{c.kaleyra.APIKey, c.hook.AppSecret, c.hook.Token, c.hook.VerifyToken}
	if u, err := url.Parse(c.redisURL); err == nil && u.User != nil {
		if p, ok := u.User.Password(); ok {
			s = append(s, p)
		}
	}
	return s
}
