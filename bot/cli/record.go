package cli

import (
	"flag"
	"fmt"
	"log/slog"

	"github.com/souk-commerce/souk/bot/recording"
	"github.com/souk-commerce/souk/bot/webhook"
)

// recordConfig is `souk serve --record FILE`: every accepted webhook body is
// appended to FILE, pseudonymised, for `souk replay`.
type recordConfig struct {
	path   *string
	secret string
}

func recordFlag(fs *flag.FlagSet, env *Env) recordConfig {
	return recordConfig{
		path:   fs.String("record", "", "append every accepted webhook body, pseudonymised, to this JSON-lines file"),
		secret: env.Getenv("SOUK_RECORD_SECRET"),
	}
}

// attach sets hook.Recorder when --record was given.
func (r recordConfig) attach(hook *webhook.Config, log *slog.Logger) error {
	if r.path == nil || *r.path == "" {
		return nil
	}
	rec, err := recording.Open(*r.path, []byte(r.secret), log)
	if err != nil {
		return fmt.Errorf("--record: %w", err)
	}
	if r.secret == "" {
		log.Info("SOUK_RECORD_SECRET is not set: recorded pseudonyms are stable only within this run")
	}
	log.Info("recording webhooks, phone numbers and names pseudonymised", "file", *r.path)
	hook.Recorder = rec.Record
	return nil
}
