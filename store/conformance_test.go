package store_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
	"github.com/souk-commerce/souk/store"
	"github.com/souk-commerce/souk/store/storetest"
)

func TestConformanceMiniredis(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Backend {
		mr := miniredis.RunT(t)
		s := store.NewRedis(redis.NewClient(&redis.Options{Addr: mr.Addr()}), store.Config{})
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestConformanceRedis(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Backend { return realStore(t) })
}

// realStore opens the Redis of REDIS_URL under a random prefix and deletes
// the prefix's keys when t ends.
func realStore(t *testing.T) *store.Redis {
	t.Helper()
	url := os.Getenv("REDIS_URL")
	if url == "" {
		t.Skip("REDIS_URL is not set: skipping the real-Redis tests (e.g. REDIS_URL=redis://127.0.0.1:6379/0)")
	}
	prefix := randomPrefix()
	s, _, err := store.Open(url, store.Config{Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cleanPrefix(s.Client(), prefix); s.Close() })
	return s
}

func randomPrefix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "souktest-" + hex.EncodeToString(b[:])
}

func cleanPrefix(rdb redis.UniversalClient, prefix string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	it := rdb.Scan(ctx, 0, prefix+":*", 1000).Iterator()
	for it.Next(ctx) {
		rdb.Del(ctx, it.Val())
	}
}
