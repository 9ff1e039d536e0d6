package store

import (
	"fmt"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// Open connects to the Redis at url (redis://, rediss://, or a
// comma-separated list of addresses for Sentinel or Cluster). An empty url
// starts an embedded in-process Redis (miniredis) that lives as long as the
// store; embedded reports whether it did.
func Open(url string, cfg Config) (s *Redis, embedded bool, err error) {
	if url == "" {
		return OpenEmbedded(cfg)
	}
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, false, fmt.Errorf("REDIS_URL: %w", err)
	}
	return NewRedis(redis.NewClient(opts), cfg), false, nil
}

// OpenEmbedded starts an in-process miniredis and a store on it.
func OpenEmbedded(cfg Config) (*Redis, bool, error) {
	mr := miniredis.NewMiniRedis()
	if err := mr.Start(); err != nil {
		return nil, false, fmt.Errorf("starting embedded redis: %w", err)
	}
	s := NewRedis(redis.NewClient(&redis.Options{Addr: mr.Addr()}), cfg)
	s.closers = append(s.closers, func() error { mr.Close(); return nil })
	return s, true, nil
}
