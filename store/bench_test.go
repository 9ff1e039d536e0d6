package store_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/souk-commerce/souk/store"
	"github.com/souk-commerce/souk/store/storetest"
)

// openBench opens REDIS_URL on a prefix of its own, or an embedded Redis,
// and deletes the prefix's keys afterwards.
func openBench(b *testing.B) *store.Redis {
	b.Helper()
	return storetest.OpenRedis(b, os.Getenv("REDIS_URL"), storetest.Prefix(), 1)[0]
}

// BenchmarkRoundTrip is the engine's store work for one inbound message:
// Seen, Load, Commit. It runs on REDIS_URL when set, else on the embedded
// Redis.
func BenchmarkRoundTrip(b *testing.B) {
	st := openBench(b)
	ctx := context.Background()
	phone := "919876543210"
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		id := fmt.Sprintf("wamid.%d", i)
		if seen, err := st.Seen(ctx, phone, id); err != nil || seen {
			b.Fatal(seen, err)
		}
		c, err := st.Load(ctx, phone)
		if err != nil {
			b.Fatal(err)
		}
		c.State, c.Name, c.LastActive = "welcome", "Asha", time.Now()
		if err := st.Commit(ctx, store.Commit{Conversation: c, MessageID: id, TTL: time.Hour}); err != nil {
			b.Fatal(err)
		}
	}
}
