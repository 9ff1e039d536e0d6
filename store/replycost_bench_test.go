package store_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/souk-commerce/souk/store"
	"github.com/souk-commerce/souk/store/storetest"
)

// BenchmarkReplyCost is the store's work for one reply as the bench's
// shoppers cause it: a commit that marks the message seen, saves the
// conversation and queues one reply under a lease, then the step that
// records the send and finds the outbox empty. Each shopper has three
// replies, like the bench's script. Besides time it reports the CPU the
// Redis server spent per reply (INFO cpu), which is what the store's
// scripts cost and what a change to them is judged by. REDIS_URL only: an
// embedded Redis's CPU is the benchmark's own.
func BenchmarkReplyCost(b *testing.B) {
	url := os.Getenv("REDIS_URL")
	if url == "" {
		b.Skip("REDIS_URL is not set")
	}
	st := storetest.OpenRedis(b, url, storetest.Prefix(), 1)[0]
	ctx := context.Background()
	payload := []byte(`{"kind":"text","to":"919800000000","text":{"body":"Thanks for your message, here is our menu"}}`)
	var workers atomic.Int64
	before := redisCPU(b, st)
	b.ReportAllocs()
	b.SetParallelism(64) // the pipelines carry many shoppers' steps, as under load
	b.RunParallel(func(pb *testing.PB) {
		w := workers.Add(1)
		for i := int64(0); pb.Next(); i++ {
			phone := fmt.Sprintf("91%04d%06d", w, i/3)
			replyCycle(b, ctx, st, phone, w<<32|i, i%3, payload)
		}
	})
	b.StopTimer()
	b.ReportMetric(float64((redisCPU(b, st)-before).Microseconds())/float64(b.N), "redis-µs/op")
}

func replyCycle(b *testing.B, ctx context.Context, st *store.Redis, phone string, i, version int64, payload []byte) {
	id := strconv.FormatInt(i, 16) + "0123456789abcdef0123456789"
	c := store.Conversation{Phone: phone}
	if version > 0 { // the conversation the last cycle committed, as the engine has it: from memory
		var hit bool
		var err error
		if c, _, hit, err = st.Cached(phone, "wamid."+id); err == nil && !hit {
			c, err = st.Load(ctx, phone) // a full cache dropped it, as it may under load
		}
		if err != nil || c.Version != version {
			b.Fatalf("cycle %d: conversation v%d, %v; want v%d", i, c.Version, err, version)
		}
	}
	c.State, c.Name, c.LastActive = "menu", "Asha", time.Now()
	m := store.OutMessage{ID: id, Phone: phone, Payload: payload, Queued: time.Now()}
	h, err := st.CommitLease(ctx, store.Commit{Conversation: c, MessageID: "wamid." + id, TTL: time.Hour,
		Outbox: []store.OutMessage{m}}, time.Minute)
	if err != nil || h.Token == "" {
		b.Fatalf("commit %d: %+v %v", i, h, err)
	}
	if _, ok, err := st.SentNext(ctx, phone, h.Token, m, "wamid.HBgMOTE5ODc2NTQzMjEwFQIAERgSQTVGMEI"+id); err != nil || ok {
		b.Fatalf("sent %d: %v %v", i, ok, err)
	}
}

// redisCPU is the user and system CPU the Redis server has used.
func redisCPU(b *testing.B, st *store.Redis) time.Duration {
	cpu, err := st.ServerCPU(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	return cpu
}

// TestServerCPU checks that the Redis server's CPU reads as a positive
// time that does not go back.
func TestServerCPU(t *testing.T) {
	st := storetest.Redis(t)
	ctx := context.Background()
	first, err := st.ServerCPU(ctx)
	if err != nil || first <= 0 {
		t.Fatalf("ServerCPU = %v, %v; want a positive time", first, err)
	}
	for i := range 100 {
		if _, err := st.Seen(ctx, "919800000001", strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
	}
	if then, err := st.ServerCPU(ctx); err != nil || then < first {
		t.Fatalf("ServerCPU went from %v to %v (%v)", first, then, err)
	}
}
