package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

const testPhone = "919800000042"

// outboxBackends are backends plus a store opened on miniredis as a
// Cluster, for the outbox paths that differ there.
func outboxBackends(t *testing.T) map[string]func(t *testing.T) backend {
	all := backends(t)
	all["miniredis cluster"] = func(t *testing.T) backend {
		mr := miniredis.RunT(t)
		st, _, err := Open("redis+cluster://"+mr.Addr(), Config{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		if !st.cluster {
			t.Fatal("redis+cluster:// did not open a Cluster store")
		}
		return backend{st, func(_ *testing.T, d time.Duration) { mr.FastForward(d) }}
	}
	return all
}

// commitReply commits a move of testPhone queuing one reply, id, and
// leasing the outbox for lease when lease is positive.
func commitReply(t *testing.T, st *Redis, id string, lease time.Duration) Handover {
	t.Helper()
	ctx := context.Background()
	c, err := st.Load(ctx, testPhone)
	if err != nil {
		t.Fatal(err)
	}
	c.State = "s-" + id
	h, err := st.CommitLease(ctx, Commit{Conversation: c, MessageID: "w-" + id, TTL: time.Hour,
		Outbox: []OutMessage{{ID: id, Payload: []byte(`{}`)}}}, lease)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// dueNow is the shoppers due now.
func dueNow(t *testing.T, st *Redis) []string {
	t.Helper()
	due, err := st.Due(context.Background(), time.Now(), 10)
	if err != nil {
		t.Fatal(err)
	}
	return due
}

// TestSweepMarksDueAgain checks that Sweep puts back in the due set a
// shopper with a queued reply who is missing from it, as after a crash
// between a Cluster commit and its wake-up.
func TestSweepMarksDueAgain(t *testing.T) {
	for name, open := range outboxBackends(t) {
		t.Run(name, func(t *testing.T) {
			st := open(t).st
			ctx := context.Background()
			commitReply(t, st, "m1", 0)
			if err := st.rdb.ZRem(ctx, st.keys.due(), testPhone).Err(); err != nil {
				t.Fatal(err)
			}
			if due := dueNow(t, st); len(due) != 0 {
				t.Fatalf("due after ZREM: %v", due)
			}
			if n, err := st.Sweep(ctx); err != nil || n != 1 {
				t.Fatalf("Sweep = %d, %v; want 1", n, err)
			}
			if due := dueNow(t, st); !slices.Equal(due, []string{testPhone}) {
				t.Fatalf("due after Sweep: %v, want [%s]", due, testPhone)
			}
		})
	}
}

// TestLeaseTakeoverAfterDeadSender checks that when a sender dies holding
// an outbox, another takes it over with the same head once the lease ends,
// and the dead sender's token is fenced off.
func TestLeaseTakeoverAfterDeadSender(t *testing.T) {
	const lease = time.Second // a real Redis ends it on its own clock
	takes := map[string]func(t *testing.T, st *Redis) string{
		"CommitLease": func(t *testing.T, st *Redis) string {
			h := commitReply(t, st, "m1", lease)
			if h.Token == "" {
				t.Fatalf("CommitLease did not lease the outbox: %+v", h)
			}
			return h.Token
		},
		"LeaseHead": func(t *testing.T, st *Redis) string {
			commitReply(t, st, "m1", 0)
			tok, head, ok, err := st.LeaseHead(context.Background(), testPhone, lease)
			if err != nil || !ok || head.ID != "m1" {
				t.Fatalf("LeaseHead = %q, %v, %v; want m1", head.ID, ok, err)
			}
			return tok
		},
	}
	for name, open := range outboxBackends(t) {
		for how, take := range takes {
			t.Run(name+"/"+how, func(t *testing.T) {
				b := open(t)
				ctx := context.Background()
				taken := time.Now()
				deadTok := take(t, b.st)
				_, _, _, err := b.st.LeaseHead(ctx, testPhone, lease)
				if err == nil && time.Since(taken) >= lease {
					t.Skipf("the test was paused past the lease (%v): inconclusive", time.Since(taken))
				}
				if !errors.Is(err, ErrLeased) {
					t.Fatalf("LeaseHead while the lease holds: %v, want ErrLeased", err)
				}
				b.advance(t, lease+50*time.Millisecond)
				head := leaseHeadWhenFree(t, b.st, lease)
				if head.ID != "m1" {
					t.Fatalf("the new sender's head is %q, want m1", head.ID)
				}
				if _, _, err := b.st.SentNext(ctx, testPhone, deadTok, head, "k"); !errors.Is(err, ErrLeaseLost) {
					t.Fatalf("SentNext with the dead sender's token: %v, want ErrLeaseLost", err)
				}
			})
		}
	}
}

// leaseHeadWhenFree polls LeaseHead until the outbox is free (a real Redis
// ends the old lease on its own clock) and returns the head it got.
func leaseHeadWhenFree(t *testing.T, st *Redis, lease time.Duration) OutMessage {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, head, ok, err := st.LeaseHead(context.Background(), testPhone, lease)
		if err == nil && ok {
			return head
		}
		if !errors.Is(err, ErrLeased) || time.Now().After(deadline) {
			t.Fatalf("LeaseHead after the lease ended = ok %v, %v", ok, err)
		}
		time.Sleep(10 * time.Millisecond) // polling interval
	}
}

// TestDeadTellsRedisErrorsFromLostLeases checks that Dead answers
// ErrLeaseLost for a lease that is gone, even with an empty token, without
// writing a dead letter, and passes on a Redis failure as itself.
func TestDeadTellsRedisErrorsFromLostLeases(t *testing.T) {
	st := backends(t)["miniredis"](t).st
	ctx := context.Background()
	m := OutMessage{ID: "m1", Phone: testPhone}
	for _, tok := range []string{"gone.60000", ""} {
		if err := st.Dead(ctx, testPhone, tok, m, "x"); !errors.Is(err, ErrLeaseLost) {
			t.Fatalf("Dead without a lease, token %q: %v, want ErrLeaseLost", tok, err)
		}
	}
	if dls, err := st.DeadLetters(ctx, 10); err != nil || len(dls) != 0 {
		t.Fatalf("dead letters written without a lease: %+v, %v", dls, err)
	}
	_ = st.Close()
	err := st.Dead(ctx, testPhone, "gone.60000", m, "x")
	if errors.Is(err, ErrLeaseLost) || !errors.Is(err, redis.ErrClosed) {
		t.Fatalf("Dead on a closed client: %v, want redis.ErrClosed", err)
	}
}

// TestDeadOnlyWhatItTakesOff checks that a sender dead-lettering a message
// that is no longer its outbox's head (it was sent meanwhile, or a retried
// Dead already took it off) appends no letter. The message's status stays
// what the send made it.
func TestDeadOnlyWhatItTakesOff(t *testing.T) {
	for name, open := range outboxBackends(t) {
		t.Run(name, func(t *testing.T) {
			st, ctx := open(t).st, context.Background()
			h := commitReply(t, st, "m1", time.Minute)
			commitReply(t, st, "m2", 0)
			m1 := OutMessage{ID: "m1", Phone: testPhone}
			if _, _, err := st.SentNext(ctx, testPhone, h.Token, m1, "k1"); err != nil {
				t.Fatal(err)
			}
			err := st.Dead(ctx, testPhone, h.Token, m1, "gave up")
			if !errors.Is(err, ErrLeaseLost) {
				t.Fatalf("Dead of a message already sent: %v, want ErrLeaseLost", err)
			}
			if dls, err := st.DeadLetters(ctx, 10); err != nil || len(dls) != 0 {
				t.Fatalf("dead letters = %+v, %v; want none", dls, err)
			}
			if s, err := st.Status(ctx, testPhone, "m1"); err != nil || s.Status != StatusSent {
				t.Fatalf("m1's status = %+v, %v; want sent", s, err)
			}
		})
	}
}
