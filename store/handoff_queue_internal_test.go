package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

func newMiniStore(t *testing.T) *Redis {
	t.Helper()
	mr := miniredis.RunT(t)
	r := NewRedis(redis.NewClient(&redis.Options{Addr: mr.Addr()}), Config{})
	t.Cleanup(func() { r.Close() })
	return r
}

// TestWaitingDropsOnlyWhatEnded checks that listing removes an ended
// handoff from the index only if it was not handed off again meanwhile:
// the new handoff has a new score, and a removal by the old one is a
// no-op.
func TestWaitingDropsOnlyWhatEnded(t *testing.T) {
	r := newMiniStore(t)
	ctx := context.Background()
	key := r.keys.handoffs()
	r.rdb.ZAdd(ctx, key, redis.Z{Score: 1000, Member: "919800000001"}, redis.Z{Score: 2000, Member: "919800000002"})
	// As found ended at scores 1000 and 1500; the second was handed off again at 2000.
	if err := dropUnchangedScript.Run(ctx, r.rdb, []string{key}, "919800000001", int64(1000), "919800000002", int64(1500)).Err(); err != nil {
		t.Fatal(err)
	}
	left, _ := r.rdb.ZRange(ctx, key, 0, -1).Result()
	if fmt.Sprint(left) != "[919800000002]" {
		t.Errorf("index after dropping = %v, want the shopper handed off again kept", left)
	}
}

// TestWaitingPastOnePage checks a listing longer than one page of loads,
// with ended handoffs among them: every shopper still waiting is listed in
// order, and only they stay in the index.
func TestWaitingPastOnePage(t *testing.T) {
	r := newMiniStore(t)
	ctx := context.Background()
	at := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	var want []string
	for i := range 2*waitingPage + 50 {
		phone := fmt.Sprintf("91980%07d", i)
		c := Conversation{Phone: phone, State: "human", HandoffAt: at.Add(time.Duration(i) * time.Second)}
		if err := r.Commit(ctx, Commit{Conversation: c, MessageID: "w" + phone, TTL: time.Hour}); err != nil {
			t.Fatal(err)
		}
		if i%3 == 0 {
			r.rdb.Del(ctx, r.keys.conv(phone)) // expired
			continue
		}
		want = append(want, phone)
	}
	for _, limit := range []int{len(want), 7} {
		got, err := r.Waiting(ctx, limit)
		if err != nil {
			t.Fatal(err)
		}
		var phones []string
		for _, w := range got {
			phones = append(phones, w.Phone)
		}
		if fmt.Sprint(phones) != fmt.Sprint(want[:limit]) {
			t.Fatalf("Waiting(%d) = %d shoppers %v..., want %d in order", limit, len(phones), phones[:min(3, len(phones))], limit)
		}
	}
	if n, _ := r.rdb.ZCard(ctx, r.keys.handoffs()).Result(); int(n) != len(want) {
		t.Errorf("the index holds %d shoppers after listing, want the %d still waiting", n, len(want))
	}
}

// TestWaitingIndexKeepsUp checks the index itself: a reset takes the
// shopper out at once, and a shopper handed off again after their
// conversation expired (still in the index) moves to the new time.
func TestWaitingIndexKeepsUp(t *testing.T) {
	r := newMiniStore(t)
	ctx := context.Background()
	at := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	handOff := func(phone string, when time.Time) {
		t.Helper()
		c := Conversation{Phone: phone, State: "human", HandoffAt: when}
		if err := r.Commit(ctx, Commit{Conversation: c, MessageID: fmt.Sprint("w", phone, when.Unix()), TTL: time.Hour}); err != nil {
			t.Fatal(err)
		}
	}
	handOff("919800000001", at)
	handOff("919800000002", at.Add(time.Minute))
	handOff("919800000003", at.Add(2*time.Minute))
	if err := r.Delete(ctx, "919800000003"); err != nil {
		t.Fatal(err)
	}
	r.rdb.Del(ctx, r.keys.conv("919800000001")) // expired, still in the index
	handOff("919800000001", at.Add(time.Hour))
	index, _ := r.rdb.ZRange(ctx, r.keys.handoffs(), 0, -1).Result()
	if fmt.Sprint(index) != "[919800000002 919800000001]" {
		t.Errorf("index = %v, want the reset shopper gone and the one handed off again last", index)
	}
}
