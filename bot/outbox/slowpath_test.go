package outbox_test

import (
	"context"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/kaleyra/kaleyratest"
	"github.com/souk-commerce/souk/bot/outbox"
	"github.com/souk-commerce/souk/store"
)

// outboxOnly hides every method of the store but those of store.Outbox
// (Drainer, OutboxStatser, ...), so that the runner takes its slow path.
type outboxOnly struct{ store.Outbox }

// TestSlowPath runs the runner on a store that is not a store.Drainer: the
// replies of a shopper arrive in order, each once, a failed send is
// retried, and an outbox handed over leased is let go and sent from the
// due set.
func TestSlowPath(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			st := b.open(t)
			k := kaleyratest.Run(t)
			var failedOnce atomic.Bool
			k.SetRespond(func(_ int, r kaleyratest.Request) kaleyratest.Answer {
				if r.Text() == "second" && failedOnce.CompareAndSwap(false, true) {
					return kaleyratest.Fail(kaleyra.CodeInternal)
				}
				return kaleyratest.Accept("kal-" + r.Ref())
			})
			ids := queue(t, st, "w1", "first", "second")
			queue(t, st, "w2", "third")
			r := startWith(t, outboxOnly{st}, k, outbox.Config{Workers: 4, MaxAttempts: 3,
				Backoff: 5 * time.Millisecond, MaxBackoff: 40 * time.Millisecond, Poll: 10 * time.Millisecond})
			if r.LeaseFor() != 0 {
				t.Fatalf("LeaseFor = %s on a store that is not a Drainer, want 0", r.LeaseFor())
			}
			eventually(t, "outbox drained and let go", func() bool { return drained(t, st) })
			if got := k.Texts(shopper); !slices.Equal(got, []string{"first", "second", "third"}) {
				t.Fatalf("delivered %v, want [first second third], each once", got)
			}
			if n := k.Len(); n != 4 {
				t.Fatalf("%d sends, want 4 (one retry)", n)
			}
			s, err := outbox.Lookup(context.Background(), st, "", ids[1])
			if err != nil || s.Status != store.StatusSent || s.Attempts != 2 {
				t.Fatalf("status of second = %+v, %v; want sent at the second attempt", s, err)
			}

			token, out := commitLeased(t, st, shopper, "w3", "fourth")
			msg, err := outbox.Decode(out[0])
			if token == "" || err != nil {
				t.Fatalf("commit did not lease the outbox (%q) or %v", token, err)
			}
			r.DispatchLeased(shopper, token, out[0], msg)
			eventually(t, "handed outbox let go and sent", func() bool { return len(k.Texts(shopper)) == 4 && drained(t, st) })
			if got := k.Texts(shopper); got[3] != "fourth" {
				t.Fatalf("delivered %v, want fourth last", got)
			}
		})
	}
}

// drained reports whether shopper's outbox is empty and no sender holds it.
func drained(t *testing.T, st *store.Redis) bool {
	t.Helper()
	ctx := context.Background()
	if _, ok, err := st.Head(ctx, shopper); err != nil || ok {
		return false
	}
	token, err := st.Lease(ctx, shopper, time.Minute)
	if err != nil {
		return false
	}
	if err := st.Release(ctx, shopper, token); err != nil {
		t.Fatal(err)
	}
	return true
}
