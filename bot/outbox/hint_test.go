package outbox_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/outbox"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/store"
)

// TestDispatchWhileSending commits a second reply while a worker is still
// sending the shopper's first one, then plays a shopper who sends the next
// message as soon as each reply arrives, 50 times. The due set is polled
// only hourly, so every reply must leave on its Dispatch alone, in order:
// a reply committed while a worker is finishing the shopper's previous one
// is found either by that worker or, through the hint, by its looking at
// the outbox once more before it lets go.
func TestDispatchWhileSending(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			st := b.open(t)
			g := &gatedSender{recordSender: recordSender{got: make(chan string, 64)}, open: make(chan struct{})}
			r, err := outbox.New(outbox.Config{Store: st, Sender: g, Logger: quiet(), Workers: 2, Poll: time.Hour})
			if err != nil {
				t.Fatal(err)
			}
			r.Start()
			defer func() { _ = r.Stop(context.Background()) }()
			ctx := context.Background()
			ids := queue(t, st, "w1", "first")
			_ = r.Dispatch(ctx, []whatsapp.Outbound{{ID: ids[0], To: shopper}})
			if got := receive(t, g.got); got != "first" { // the worker is now in first's send
				t.Fatalf("sent %q, want first", got)
			}
			ids = queue(t, st, "w2", "second")
			_ = r.Dispatch(ctx, []whatsapp.Outbound{{ID: ids[0], To: shopper}})
			close(g.open)
			if got := receive(t, g.got); got != "second" { // within 10s: without waiting for a poll
				t.Fatalf("sent %q after first, want second", got)
			}
			// Each next message is committed once the previous reply is
			// recorded as sent, while its worker is handing the outbox back.
			for i := range 50 {
				ids := queue(t, st, "n"+strconv.Itoa(i), "n"+strconv.Itoa(i))
				_ = r.Dispatch(ctx, []whatsapp.Outbound{{ID: ids[0], To: shopper}})
				eventually(t, "reply "+strconv.Itoa(i), func() bool {
					s, err := st.Status(ctx, shopper, ids[0])
					return err == nil && s.Status == store.StatusSent
				})
			}
			if n := 2 + len(g.got); n != 52 {
				t.Fatalf("sent %d replies, want 52", n)
			}
		})
	}
}
