package outbox_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/outbox"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/store"
)

// gateSender holds its first send until open is closed, and records the
// order of what it sent.
type gateSender struct {
	open    chan struct{}
	started chan struct{}
	mu      sync.Mutex
	sent    []string
}

func (g *gateSender) Send(_ context.Context, o whatsapp.Outbound) (kaleyra.Result, error) {
	g.mu.Lock()
	first := len(g.sent) == 0
	g.sent = append(g.sent, o.Message.(whatsapp.Text).Body)
	g.mu.Unlock()
	if first {
		close(g.started)
		<-g.open
	}
	return kaleyra.Result{MessageID: "k-" + o.ID, Status: 202}, nil
}

func (g *gateSender) texts() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.sent...)
}

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
			g := &gateSender{open: make(chan struct{}), started: make(chan struct{})}
			r, err := outbox.New(outbox.Config{Store: st, Sender: g, Logger: quiet(), Workers: 2, Poll: time.Hour})
			if err != nil {
				t.Fatal(err)
			}
			r.Start()
			defer func() { _ = r.Stop(context.Background()) }()
			ctx := context.Background()
			ids := queue(t, st, "w1", "first")
			_ = r.Dispatch(ctx, []whatsapp.Outbound{{ID: ids[0], To: shopper}})
			select {
			case <-g.started:
			case <-time.After(10 * time.Second):
				t.Fatal("first reply not sent")
			}
			ids = queue(t, st, "w2", "second")
			_ = r.Dispatch(ctx, []whatsapp.Outbound{{ID: ids[0], To: shopper}})
			close(g.open)
			eventually(t, "second reply sent without waiting for a poll", func() bool { return len(g.texts()) == 2 })
			if got := g.texts(); got[0] != "first" || got[1] != "second" {
				t.Fatalf("sent %v, want [first second]", got)
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
			if n := len(g.texts()); n != 52 {
				t.Fatalf("sent %d replies, want 52", n)
			}
		})
	}
}
