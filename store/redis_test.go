package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
	"github.com/souk-commerce/souk/bot/whatsapp"
)

// backend is a store under test and a way to let time pass on it.
type backend struct {
	st      *Redis
	advance func(t *testing.T, d time.Duration)
}

func backends(t *testing.T) map[string]func(t *testing.T) backend {
	return map[string]func(t *testing.T) backend{
		"miniredis": func(t *testing.T) backend {
			mr := miniredis.RunT(t)
			st := NewRedis(redis.NewClient(&redis.Options{Addr: mr.Addr()}), Config{})
			t.Cleanup(func() { st.Close() })
			return backend{st, func(_ *testing.T, d time.Duration) { mr.FastForward(d) }}
		},
		"redis": func(t *testing.T) backend {
			url := os.Getenv("REDIS_URL")
			if url == "" {
				t.Skip("REDIS_URL is not set: skipping the real Redis run")
			}
			rdb, err := ParseURL(url) // a single node, Sentinel or Cluster, as serve reads it
			if err != nil {
				t.Fatal(err)
			}
			st := NewRedis(rdb, Config{Prefix: "souktest-" + randomHex()})
			t.Cleanup(func() { _, _ = st.DeleteAll(context.Background()); st.Close() })
			return backend{st, waitOut}
		},
	}
}

// waitOut does nothing: a real Redis expires keys on its own clock, and
// the test polls for the effect.
func waitOut(*testing.T, time.Duration) {}

func randomHex() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func TestStore(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			t.Run("round trip", func(t *testing.T) { testRoundTrip(t, open(t)) })
			t.Run("conflict and duplicate", func(t *testing.T) { testConflict(t, open(t)) })
			t.Run("expiry", func(t *testing.T) { testExpiry(t, open(t)) })
		})
	}
}

func testRoundTrip(t *testing.T, b backend) {
	ctx := context.Background()
	c, err := b.st.Load(ctx, "911")
	if err != nil || c.Exists() || c.Phone != "911" {
		t.Fatalf("Load of a new shopper = %+v, %v", c, err)
	}
	c.State, c.Name, c.Vars = "menu", "Asha", map[string]any{"n": 2.0}
	c.Order = whatsapp.Order{Items: []whatsapp.OrderItem{{ID: "p", Quantity: 1, Price: 2.5, Currency: "EUR"}}}
	c.LastActive = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := b.st.Commit(ctx, Commit{Conversation: c, MessageID: "wamid.1", TTL: time.Hour}); err != nil {
		t.Fatal(err)
	}
	got, err := b.st.Load(ctx, "911")
	if err != nil || got.Version != 1 || got.State != "menu" || got.Vars["n"] != 2.0 || got.Order.Total() != 2.5 || !got.LastActive.Equal(c.LastActive) {
		t.Fatalf("Load after commit = %+v, %v", got, err)
	}
	if seen, err := b.st.Seen(ctx, "911", "wamid.1"); err != nil || !seen {
		t.Errorf("Seen(wamid.1) = %v, %v", seen, err)
	}
}

func testConflict(t *testing.T, b backend) {
	ctx := context.Background()
	c, _ := b.st.Load(ctx, "912")
	c.State = "a"
	if err := b.st.Commit(ctx, Commit{Conversation: c, MessageID: "m1", TTL: time.Hour}); err != nil {
		t.Fatal(err)
	}
	stale := c // still version 0
	stale.State = "b"
	if err := b.st.Commit(ctx, Commit{Conversation: stale, MessageID: "m2", TTL: time.Hour}); !errors.Is(err, ErrConflict) {
		t.Errorf("stale commit = %v, want ErrConflict", err)
	}
	fresh, _ := b.st.Load(ctx, "912")
	if err := b.st.Commit(ctx, Commit{Conversation: fresh, MessageID: "m1", TTL: time.Hour}); !errors.Is(err, ErrDuplicate) {
		t.Errorf("commit of a seen message = %v, want ErrDuplicate", err)
	}
	if seen, _ := b.st.Seen(ctx, "912", "m2"); seen {
		t.Error("a refused commit marked its message seen")
	}
}

func testExpiry(t *testing.T, b backend) {
	ctx := context.Background()
	c, _ := b.st.Load(ctx, "913")
	c.State = "a"
	const ttl = 500 * time.Millisecond // a real Redis ends it on its own clock
	committed := time.Now()
	if err := b.st.Commit(ctx, Commit{Conversation: c, TTL: ttl}); err != nil {
		t.Fatal(err)
	}
	if got, _ := b.st.Load(ctx, "913"); !got.Exists() && time.Since(committed) < ttl {
		t.Fatal("conversation gone before its TTL")
	}
	b.advance(t, ttl+50*time.Millisecond)
	deadline := time.Now().Add(3 * time.Second)
	for {
		got, err := b.st.Load(ctx, "913")
		if err != nil {
			t.Fatal(err)
		}
		if !got.Exists() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("conversation still there long after its TTL")
		}
		time.Sleep(10 * time.Millisecond) // polling interval
	}
}
