package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is the Store on a Redis server (single node, Sentinel or Cluster).
type Redis struct {
	rdb      redis.UniversalClient
	keys     keys
	dedupTTL time.Duration
	closers  []func() error
}

// Config configures a Redis store.
type Config struct {
	// Prefix starts every key, so several bots can share one Redis.
	Prefix string
	// DedupTTL is how long message ids are remembered.
	DedupTTL time.Duration
}

func (c Config) withDefaults() Config {
	if c.Prefix == "" {
		c.Prefix = DefaultPrefix
	}
	if c.DedupTTL <= 0 {
		c.DedupTTL = DefaultDedupTTL
	}
	return c
}

// NewRedis wraps a go-redis client. Closing the store closes the client.
func NewRedis(rdb redis.UniversalClient, cfg Config) *Redis {
	cfg = cfg.withDefaults()
	return &Redis{rdb: rdb, keys: keys{prefix: cfg.Prefix}, dedupTTL: cfg.DedupTTL, closers: []func() error{rdb.Close}}
}

// Client returns the underlying go-redis client.
func (r *Redis) Client() redis.UniversalClient { return r.rdb }

// Load implements Store.
func (r *Redis) Load(ctx context.Context, phone string) (Conversation, error) {
	vals, err := r.rdb.HMGet(ctx, r.keys.conv(phone), "v", "d").Result()
	if err != nil {
		return Conversation{}, fmt.Errorf("loading conversation: %w", err)
	}
	return decodeConversation(phone, vals)
}

// Seen implements Store.
func (r *Redis) Seen(ctx context.Context, phone, id string) (bool, error) {
	n, err := r.rdb.Exists(ctx, r.keys.seen(phone, id)).Result()
	if err != nil {
		return false, fmt.Errorf("checking message id: %w", err)
	}
	return n == 1, nil
}

// Commit implements Store.
func (r *Redis) Commit(ctx context.Context, c Commit) error {
	conv := c.Conversation
	data, err := json.Marshal(conv)
	if err != nil {
		return fmt.Errorf("encoding conversation: %w", err)
	}
	ks := []string{r.keys.conv(conv.Phone)}
	if c.MessageID != "" {
		ks = append(ks, r.keys.seen(conv.Phone, c.MessageID))
	}
	res, err := commitScript.Run(ctx, r.rdb, ks, conv.Version, data, c.TTL.Milliseconds(), r.dedupTTL.Milliseconds()).Int64()
	switch {
	case err != nil:
		return fmt.Errorf("committing conversation: %w", err)
	case res == -1:
		return ErrDuplicate
	case res == -2:
		return ErrConflict
	}
	return nil
}

// Ping implements Store.
func (r *Redis) Ping(ctx context.Context) error { return r.rdb.Ping(ctx).Err() }

// Close implements Store.
func (r *Redis) Close() error {
	var errs []error
	for _, c := range r.closers {
		errs = append(errs, c())
	}
	return errors.Join(errs...)
}
