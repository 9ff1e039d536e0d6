package storetest

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
)

// RedisURL returns REDIS_URL, or skips t with a clear message when it is
// unset: tests that need a real Redis start with it.
func RedisURL(t testing.TB) string {
	t.Helper()
	url := os.Getenv("REDIS_URL")
	if url == "" {
		t.Skip("REDIS_URL is not set: skipping a test that needs a real Redis (e.g. REDIS_URL=redis://127.0.0.1:6379/0)")
	}
	return url
}

// Prefix returns a fresh random key prefix, "souktest-" and 12 hex digits,
// so that tests sharing one Redis never see each other's keys.
func Prefix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "souktest-" + hex.EncodeToString(b[:])
}

// OpenRedis opens the Redis at url (empty: an embedded one, as store.Open
// does) with its keys under prefix, n times, as n souk processes sharing
// one Redis. When t ends it deletes every key under prefix and closes the
// stores.
func OpenRedis(t testing.TB, url, prefix string, n int) []*store.Redis {
	t.Helper()
	out := make([]*store.Redis, 0, n)
	t.Cleanup(func() {
		if len(out) > 0 {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_, _ = out[0].DeleteAll(ctx)
		}
		for _, s := range out {
			s.Close()
		}
	})
	for range n {
		s, _, err := store.Open(url, store.Config{Prefix: prefix})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// Redis opens the Redis of REDIS_URL under a fresh Prefix, skipping t when
// REDIS_URL is unset; the prefix's keys are deleted when t ends.
func Redis(t testing.TB) *store.Redis {
	t.Helper()
	return OpenRedis(t, RedisURL(t), Prefix(), 1)[0]
}

// Miniredis returns a store on a fresh in-process miniredis, closed when t
// ends: the fast store for tests that do not need a real Redis.
func Miniredis(t testing.TB) *store.Redis {
	t.Helper()
	return MiniredisN(t, 1)[0]
}

// MiniredisN returns n stores on one fresh miniredis, as n souk processes
// sharing one Redis; they close when t ends.
func MiniredisN(t testing.TB, n int) []*store.Redis {
	t.Helper()
	mr := miniredis.RunT(t)
	out := make([]*store.Redis, n)
	for i := range out {
		s := store.NewRedis(redis.NewClient(&redis.Options{Addr: mr.Addr()}), store.Config{})
		t.Cleanup(func() { s.Close() })
		out[i] = s
	}
	return out
}

// MiniredisCluster returns a store opened as store.Open opens a Cluster
// (redis+cluster://) on a fresh miniredis, which answers CLUSTER SLOTS
// with every slot its own: it runs the store's Cluster code paths, though
// miniredis does not refuse commands or scripts that span slots as a real
// Cluster does. It closes when t ends.
func MiniredisCluster(t testing.TB) *store.Redis {
	t.Helper()
	mr := miniredis.RunT(t)
	s, _, err := store.Open("redis+cluster://"+mr.Addr(), store.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, ok := s.Client().(*redis.ClusterClient); !ok {
		t.Fatalf("redis+cluster:// opened a %T, not a Cluster client", s.Client())
	}
	return s
}
