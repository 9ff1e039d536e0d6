package store_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
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
	before := redisCPU(b, st.Client())
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
	b.ReportMetric(float64((redisCPU(b, st.Client())-before).Microseconds())/float64(b.N), "redis-µs/op")
}

func replyCycle(b *testing.B, ctx context.Context, st *store.Redis, phone string, i, version int64, payload []byte) {
	id := strconv.FormatInt(i, 16) + "0123456789abcdef0123456789"
	c := store.Conversation{Phone: phone, State: "menu", Name: "Asha", LastActive: time.Now(), Version: version}
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
func redisCPU(b *testing.B, rdb redis.UniversalClient) time.Duration {
	info, err := rdb.Info(context.Background(), "cpu").Result()
	if err != nil {
		b.Fatal(err)
	}
	var total float64
	for line := range strings.SplitSeq(info, "\r\n") {
		k, v, _ := strings.Cut(line, ":")
		if k == "used_cpu_sys" || k == "used_cpu_user" {
			f, _ := strconv.ParseFloat(v, 64)
			total += f
		}
	}
	return time.Duration(total * float64(time.Second))
}
