package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/souk-commerce/souk/store"
	"github.com/souk-commerce/souk/store/storetest"
)

// TestIdleIndex checks the index of idle timers: a commit with IdleAt
// lists the shopper by it (a later one moves them), DueIdle returns the
// timers due, oldest first, up to the limit, and DropIdle takes one out
// only if it was not set again meanwhile; a delete takes it out too.
func TestIdleIndex(t *testing.T) {
	ctx := context.Background()
	all := stores(t)
	all["cluster"] = storetest.MiniredisCluster(t)
	for name, st := range all {
		t.Run(name, func(t *testing.T) {
			at := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
			commit := func(phone string, idleAt time.Time, version int64) {
				t.Helper()
				c := store.Conversation{Phone: phone, State: "browse", IdleAt: idleAt, Version: version}
				if version > 0 {
					loaded, err := st.Load(ctx, phone)
					if err != nil {
						t.Fatal(err)
					}
					c = loaded
					c.IdleAt = idleAt
				}
				if err := st.Commit(ctx, store.Commit{Conversation: c, TTL: time.Hour}); err != nil {
					t.Fatal(err)
				}
			}
			for i := range 3 {
				commit(fmt.Sprintf("91980000030%d", i), at.Add(time.Duration(3-i)*time.Minute), 0)
			}
			commit("919800000400", time.Time{}, 0) // no timer
			due := func(now time.Time, limit int) string {
				t.Helper()
				timers, err := st.DueIdle(ctx, now, limit)
				if err != nil {
					t.Fatal(err)
				}
				return fmt.Sprint(timers)
			}
			p := func(i int) string { return fmt.Sprintf("91980000030%d", i) }
			if got, want := due(at.Add(2*time.Minute), 10), fmt.Sprint([]store.IdleTimer{{p(2), at.Add(time.Minute)}, {p(1), at.Add(2 * time.Minute)}}); got != want {
				t.Fatalf("due at +2m: %s, want %s", got, want)
			}
			if got := due(at.Add(time.Hour), 1); got != fmt.Sprint([]store.IdleTimer{{p(2), at.Add(time.Minute)}}) {
				t.Fatalf("limit 1: %s", got)
			}

			first := store.IdleTimer{Phone: p(1), Due: at.Add(2 * time.Minute)}
			until := at.Add(10 * time.Minute)
			for i, want := range []bool{true, false} { // a second process finds it taken
				if ok, err := st.ClaimIdle(ctx, first, until); err != nil || ok != want {
					t.Fatalf("claim %d: %v, %v; want %v", i+1, ok, err, want)
				}
			}
			if got := due(at.Add(5*time.Minute), 10); got != fmt.Sprint([]store.IdleTimer{{p(2), at.Add(time.Minute)}, {p(0), at.Add(3 * time.Minute)}}) {
				t.Fatalf("after a claim: %s", got)
			}
			if err := st.DropIdle(ctx, store.IdleTimer{Phone: p(1), Due: until}); err != nil {
				t.Fatal(err)
			}
			commit(p(1), at.Add(2*time.Minute), 1) // back, as before the claim, for the checks below

			stale := store.IdleTimer{Phone: p(2), Due: at.Add(time.Minute)}
			commit(p(2), at.Add(30*time.Minute), 1) // the shopper moved: a new timer
			if err := st.DropIdle(ctx, stale); err != nil {
				t.Fatal(err)
			}
			if got := due(at.Add(time.Hour), 10); got != fmt.Sprint([]store.IdleTimer{{p(1), at.Add(2 * time.Minute)}, {p(0), at.Add(3 * time.Minute)}, {p(2), at.Add(30 * time.Minute)}}) {
				t.Fatalf("after dropping a timer set again: %s", got)
			}
			if err := st.DropIdle(ctx, store.IdleTimer{Phone: p(1), Due: at.Add(2 * time.Minute)}); err != nil {
				t.Fatal(err)
			}
			if err := st.Delete(ctx, p(0)); err != nil {
				t.Fatal(err)
			}
			if got := due(at.Add(time.Hour), 10); got != fmt.Sprint([]store.IdleTimer{{p(2), at.Add(30 * time.Minute)}}) {
				t.Fatalf("after a drop and a delete: %s", got)
			}
			_ = st.Delete(ctx, p(2))
		})
	}
}
