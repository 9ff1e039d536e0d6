package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestUnreadableHeadDeadLettered checks that an outbox entry that does not
// decode is taken off the head into the dead letters, with the outbox
// handed back, so that the replies behind it go out.
func TestUnreadableHeadDeadLettered(t *testing.T) {
	for name, open := range outboxBackends(t) {
		t.Run(name, func(t *testing.T) {
			st, ctx := open(t).st, context.Background()
			commitReply(t, st, "m1", 0)
			if err := st.rdb.LPush(ctx, st.keys.out(testPhone), "total garbage").Err(); err != nil {
				t.Fatal(err)
			}
			_, _, _, err := st.LeaseHead(ctx, testPhone, time.Minute)
			if !errors.Is(err, ErrUnreadable) {
				t.Fatalf("LeaseHead over an unreadable head: %v, want ErrUnreadable", err)
			}
			dls, err := st.DeadLetters(ctx, 10)
			if err != nil || len(dls) != 1 || dls[0].Reason != "unreadable" || dls[0].Message.Phone != testPhone {
				t.Fatalf("dead letters = %+v, %v; want the unreadable entry, with its shopper", dls, err)
			}
			if due, err := st.rdb.ZScore(ctx, st.keys.due(), testPhone).Result(); err != nil || due > float64(time.Now().UnixMilli()) {
				t.Fatalf("shopper due at %v (%v); want due now, for m1", due, err)
			}
			token, head, ok, err := st.LeaseHead(ctx, testPhone, time.Minute)
			if err != nil || !ok || head.ID != "m1" || token == "" {
				t.Fatalf("LeaseHead after = %q, %+v, %v, %v; want m1 leased: the bad entry's lease handed back", token, head, ok, err)
			}
			if err := st.Redrive(ctx, dls[0].StreamID); err == nil {
				t.Error("redrive of an unreadable entry succeeded")
			}
		})
	}
}

// TestUnreadableLastEntry checks that an outbox holding only an unreadable
// entry ends empty and not due.
func TestUnreadableLastEntry(t *testing.T) {
	for name, open := range outboxBackends(t) {
		t.Run(name, func(t *testing.T) {
			st, ctx := open(t).st, context.Background()
			if err := st.rdb.RPush(ctx, st.keys.out(testPhone), "{").Err(); err != nil {
				t.Fatal(err)
			}
			if err := st.settle(ctx, testPhone); err != nil {
				t.Fatalf("settle over an unreadable head: %v", err)
			}
			if _, _, _, err := st.LeaseHead(ctx, testPhone, time.Minute); !errors.Is(err, ErrUnreadable) {
				t.Fatalf("LeaseHead: %v, want ErrUnreadable", err)
			}
			if n, err := st.rdb.Exists(ctx, st.keys.out(testPhone), st.keys.lease(testPhone)).Result(); err != nil || n != 0 {
				t.Fatalf("%d of outbox and lease left (%v); want neither", n, err)
			}
			if _, err := st.rdb.ZScore(ctx, st.keys.due(), testPhone).Result(); err == nil {
				t.Fatal("the shopper is still due with an empty outbox")
			}
		})
	}
}
