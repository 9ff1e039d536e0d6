package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestInterruptCleansUp stops a run at an arbitrary moment, as Ctrl-C
// does, and checks that it returns at once with an error saying so,
// leaving no keys in Redis.
func TestInterruptCleansUp(t *testing.T) {
	url := os.Getenv("REDIS_URL")
	if url == "" {
		t.Skip("REDIS_URL is not set")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	time.AfterFunc(1500*time.Millisecond, cancel) // the user's Ctrl-C, not a wait for anything
	cfg := config{shoppers: []int{4}, duration: time.Minute, maxConvs: 999999, rounds: 1, redisURL: url, skipRef: true}
	began := time.Now()
	_, err := bench(ctx, cfg, func(result) {})
	if err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("bench = %v; want an interruption", err)
	}
	if took := time.Since(began); took > 30*time.Second {
		t.Errorf("an interrupted level took %s to end; its duration was a minute", took)
	}
	opt, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	if keys, err := rdb.Keys(context.Background(), "soukbench*").Result(); err != nil || len(keys) > 0 {
		t.Errorf("keys left after the interruption: %d (%v), e.g. %q", len(keys), err, keys[:min(len(keys), 3)])
	}
}

// TestServerThatDiesAtStart checks that a server that exits before it
// answers fails its level at once, quoting the end of its log.
func TestServerThatDiesAtStart(t *testing.T) {
	began := time.Now()
	_, err := spawn("no-such-mode", nil, filepath.Join(t.TempDir(), "child.log"))
	if err == nil || !strings.Contains(err.Error(), "unknown SOUKBENCH_CHILD") {
		t.Fatalf("spawn = %v; want the child's own complaint quoted", err)
	}
	if took := time.Since(began); took > 10*time.Second {
		t.Errorf("took %s to notice; the health check's limit is 15s", took)
	}
}

// TestBadRedisURL checks that a Redis that does not answer stops the run
// before any level.
func TestBadRedisURL(t *testing.T) {
	cfg := config{shoppers: []int{1}, duration: time.Second, maxConvs: 10, rounds: 1, redisURL: "redis://127.0.0.1:1/0"}
	_, err := bench(context.Background(), cfg, func(result) { t.Error("a level ran") })
	if err == nil || !strings.Contains(err.Error(), "REDIS_URL does not answer") {
		t.Fatalf("bench = %v; want REDIS_URL refused", err)
	}
}

// TestAwaitReplySkipsEarlier checks that a reply that came before the
// step's webhook (a duplicate of an earlier step's) is not taken as the
// step's reply.
func TestAwaitReplySkipsEarlier(t *testing.T) {
	start := time.Now()
	inbox := make(chan reply, 2)
	inbox <- reply{at: start.Add(-time.Millisecond), kind: "list"}
	inbox <- reply{at: start.Add(time.Millisecond), kind: "product_list"}
	r, ok := awaitReply(context.Background(), inbox, start)
	if !ok || r.kind != "product_list" {
		t.Fatalf("awaitReply = %+v, %v; want the reply after the webhook", r, ok)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, ok := awaitReply(ctx, inbox, start); ok {
		t.Error("awaitReply answered after its context ended")
	}
}

// TestPct checks nearest-rank percentiles on 1..n.
func TestPct(t *testing.T) {
	for _, tt := range []struct{ n, p, want int }{
		{1, 50, 1}, {16, 90, 15}, {100, 99, 99}, {160, 99, 159}, {1060, 99, 1050}, {7, 100, 7}, {10, 50, 5},
	} {
		d := make([]time.Duration, tt.n)
		for i := range d {
			d[i] = time.Duration(i + 1)
		}
		if got := pct(d, tt.p); got != time.Duration(tt.want) {
			t.Errorf("p%d of 1..%d = %d, want %d", tt.p, tt.n, got, tt.want)
		}
	}
}

// TestPhonesDistinct checks that conversations past 10000 get numbers of
// their own, which duplicates are counted by.
func TestPhonesDistinct(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range []int{0, 1, 9999, 10000, 10001, maxConversations} {
		for _, i := range []int{0, 1, 9999} {
			p := shopperPhone(999, i, c)
			if seen[p] || len(p) != 15 {
				t.Fatalf("shopper %d conversation %d: %q repeats or is not 15 digits", i, c, p)
			}
			seen[p] = true
		}
	}
}

// TestShedWithoutReference checks that arrivals shed are reported when
// there is no reference row to compare with.
func TestShedWithoutReference(t *testing.T) {
	var b strings.Builder
	report(&b, []result{{bot: "souk", load: load{rate: 20000}, shed: 42, wall: time.Second}})
	if !strings.Contains(b.String(), "souk shed 42 arrivals") {
		t.Errorf("report does not say how many arrivals were shed:\n%s", b.String())
	}
}
