package cli

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/souk-commerce/souk/bot/outbox"
	"github.com/souk-commerce/souk/store"
)

// DefaultShutdownTimeout bounds a graceful stop of `souk serve`.
const DefaultShutdownTimeout = 20 * time.Second

// storeConfig reads SOUK_REDIS_PREFIX and SOUK_DEDUP_TTL.
func storeConfig(env *Env) (store.Config, error) {
	c := store.Config{Prefix: env.Getenv("SOUK_REDIS_PREFIX")}
	var err error
	if c.DedupTTL, err = envDuration(env, "SOUK_DEDUP_TTL", store.DefaultDedupTTL); err != nil {
		return c, err
	}
	return c, c.Validate()
}

// openServesStore opens the Redis that `souk serve` uses (REDIS_URL under
// SOUK_REDIS_PREFIX) for an operator command named cmd. On failure it says
// why on stderr and returns a nil store and the exit code.
func openServesStore(env *Env, cmd string) (*store.Redis, int) {
	url := env.Getenv("REDIS_URL")
	if url == "" {
		fmt.Fprintf(env.Stderr, "souk %s: REDIS_URL is not set; point it at the Redis `souk serve` uses (a server's embedded Redis is not reachable)\n", cmd)
		return nil, 2
	}
	cfg, err := storeConfig(env)
	if err != nil {
		fmt.Fprintf(env.Stderr, "souk %s: %v\n", cmd, err)
		return nil, 2
	}
	quietRedis()
	st, _, err := store.Open(url, cfg)
	if err != nil {
		fmt.Fprintf(env.Stderr, "souk %s: %v\n", cmd, err)
		return nil, 1
	}
	return st, 0
}

// outboxConfig reads the SOUK_OUTBOX_* variables; the caller fills in the
// store, the sender and the logger.
func outboxConfig(env *Env) (outbox.Config, error) {
	var c outbox.Config
	var err error
	if c.Workers, err = envInt(env, "SOUK_OUTBOX_WORKERS", outbox.DefaultWorkers); err != nil {
		return c, err
	}
	if c.Sends, err = envInt(env, "SOUK_OUTBOX_SENDS", outbox.DefaultSends); err != nil {
		return c, err
	}
	if c.MaxAttempts, err = envInt(env, "SOUK_OUTBOX_MAX_ATTEMPTS", outbox.DefaultMaxAttempts); err != nil {
		return c, err
	}
	if c.Backoff, err = envDuration(env, "SOUK_OUTBOX_BACKOFF", outbox.DefaultBackoff); err != nil {
		return c, err
	}
	if c.MaxBackoff, err = envDuration(env, "SOUK_OUTBOX_MAX_BACKOFF", outbox.DefaultMaxBackoff); err != nil {
		return c, err
	}
	if c.Backoff > c.MaxBackoff {
		return c, fmt.Errorf("SOUK_OUTBOX_BACKOFF (%v) is longer than SOUK_OUTBOX_MAX_BACKOFF (%v), which caps every wait", c.Backoff, c.MaxBackoff)
	}
	if c.Poll, err = envDuration(env, "SOUK_OUTBOX_POLL", outbox.DefaultPoll); err != nil {
		return c, err
	}
	if c.Lease, err = envDuration(env, "SOUK_OUTBOX_LEASE", outbox.DefaultLease); err != nil {
		return c, err
	}
	return c, nil
}

func envInt(env *Env, name string, def int) (int, error) {
	v := env.Getenv(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%s: want a positive integer, got %q", name, v)
	}
	return n, nil
}

func envDuration(env *Env, name string, def time.Duration) (time.Duration, error) {
	v := env.Getenv(name)
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s: want a positive duration like 30s, got %q", name, v)
	}
	return d, nil
}

// stopRunner stops the outbox sender within what is left of ctx.
func stopRunner(ctx context.Context, r *outbox.Runner, log *slog.Logger) {
	if r == nil {
		return
	}
	if err := r.Stop(ctx); err != nil {
		log.Warn("outbox sender did not finish in time; its messages stay queued", "err", err)
	}
}
