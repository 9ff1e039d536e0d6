package store

import (
	"context"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// TestClusterHandBackDropsLease runs the drain script as it runs on
// Cluster (no due key): finding the outbox empty, it drops the lease in
// the same step and leaves the due set to the caller, so that a commit
// right after leases the outbox itself instead of waiting for a poll.
func TestClusterHandBackDropsLease(t *testing.T) {
	mr := miniredis.RunT(t)
	r := NewRedis(redis.NewClient(&redis.Options{Addr: mr.Addr()}), Config{})
	t.Cleanup(func() { r.Close() })
	ctx := context.Background()
	const phone = "919876543210"
	c := Commit{Conversation: Conversation{Phone: phone, State: "a", LastActive: time.Now()}, MessageID: "w1", TTL: time.Hour,
		Outbox: []OutMessage{{ID: "m1", Payload: []byte(`{}`)}}}
	h, err := r.CommitLease(ctx, c, time.Minute)
	if err != nil || h.Token == "" {
		t.Fatalf("CommitLease = %+v, %v", h, err)
	}
	ks := r.headKeys(phone, "m1") // lease, out, msg; no due, no mid: as on Cluster
	res, err := r.runScript(ctx, sentNextScript, ks, h.Token, "m1", "k-1", time.Now().UnixMilli(), 60000, 60000, phone, 1).Result()
	if err != nil || res != int64(1) {
		t.Fatalf("script answered %v, %v; want 1 (the caller settles the due set)", res, err)
	}
	if n, _ := r.rdb.Exists(ctx, r.keys.lease(phone)).Result(); n != 0 {
		t.Error("the lease outlived the step that found the outbox empty")
	}
	conv, _ := r.Load(ctx, phone)
	c2 := Commit{Conversation: conv, MessageID: "w2", TTL: time.Hour, Outbox: []OutMessage{{ID: "m2", Payload: []byte(`{}`)}}}
	if h, err := r.CommitLease(ctx, c2, time.Minute); err != nil || h.Token == "" {
		t.Errorf("a commit right after the hand-back = %+v, %v; want it to lease the outbox", h, err)
	}
}
