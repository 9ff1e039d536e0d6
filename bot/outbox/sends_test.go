package outbox_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/outbox"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/store"
)

// heldSender holds each send until the test lets one go, and counts the
// sends in flight and their most.
type heldSender struct {
	open          chan struct{}
	inflight, max atomic.Int32
}

func (s *heldSender) Send(ctx context.Context, o whatsapp.Outbound) (kaleyra.Result, error) {
	n := s.inflight.Add(1)
	defer s.inflight.Add(-1)
	for m := s.max.Load(); n > m && !s.max.CompareAndSwap(m, n); m = s.max.Load() {
	}
	select {
	case <-s.open:
		return kaleyra.Result{MessageID: "k-" + o.ID, Status: 202}, nil
	case <-ctx.Done():
		return kaleyra.Result{}, ctx.Err()
	}
}

// TestSendsBounded has 8 workers and 8 shoppers due at once with Sends at
// 2: never more than 2 sends are in flight, and every reply is sent once
// its turn comes.
func TestSendsBounded(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			st := b.open(t)
			const shoppers, sends = 8, 2
			s := &heldSender{open: make(chan struct{})}
			r, err := outbox.New(outbox.Config{Store: st, Sender: s, Logger: quiet(), Workers: shoppers, Sends: sends,
				Poll: 5 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for i := range shoppers {
				_, out := commit(t, st, fmt.Sprintf("9198765000%02d", i), fmt.Sprintf("w%d", i), 0, "hi")
				ids = append(ids, out[0].ID)
			}
			r.Start()
			t.Cleanup(func() { _ = r.Stop(context.Background()) })
			for left := shoppers; left > 0; left-- {
				eventually(t, fmt.Sprintf("%d sends in flight", min(sends, left)), func() bool {
					return s.inflight.Load() == int32(min(sends, left))
				})
				s.open <- struct{}{}
			}
			for i, id := range ids {
				eventually(t, id+" sent", func() bool {
					got, err := st.Status(context.Background(), fmt.Sprintf("9198765000%02d", i), id)
					return err == nil && got.Status == store.StatusSent
				})
			}
			if got := s.max.Load(); got != sends {
				t.Errorf("at most %d sends in flight, want %d", got, sends)
			}
		})
	}
}

// TestTurnPastLease has a handed-over outbox wait for its turn to send
// until its lease is too old for a send: the worker hands it back without
// sending, and the reply then leaves once, as read back from the store
// under a fresh lease.
func TestTurnPastLease(t *testing.T) {
	const lease = 10 * time.Second
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			st := b.open(t)
			var now atomic.Int64
			now.Store(time.Now().UnixNano())
			const other = "919876500002"
			waiting := make(chan struct{}, 1)
			t.Cleanup(outbox.OnTurnWait(func(to string) {
				if to == other {
					select {
					case waiting <- struct{}{}:
					default:
					}
				}
			}))
			s := &gatedSender{recordSender: recordSender{got: make(chan string, 16)}, open: make(chan struct{})}
			r, err := outbox.New(outbox.Config{Store: st, Sender: s, Logger: quiet(), Workers: 2, Sends: 1,
				Poll: 5 * time.Millisecond, Lease: lease, Clock: func() time.Time { return time.Unix(0, now.Load()) }})
			if err != nil {
				t.Fatal(err)
			}
			r.Start()
			t.Cleanup(func() { _ = r.Stop(context.Background()) })
			b1 := handTwo(t, st, r, s.got, other)
			select {
			case <-waiting: // b1's worker has checked its lease and is about to wait for a1's send to end
			case <-time.After(10 * time.Second):
				t.Fatal("b1's worker never waited for its turn")
			}
			now.Add(int64(lease))
			close(s.open)
			requireSentOnce(t, st, s.got, other, b1.ID, "b1") // read back from the store under a fresh lease
		})
	}
}

// onTurnWaits counts the workers about to wait for their turn to send,
// until t ends.
func onTurnWaits(t *testing.T) *atomic.Int32 {
	var n atomic.Int32
	t.Cleanup(outbox.OnTurnWait(func(string) { n.Add(1) }))
	return &n
}

// TestTurnPastLeaseSlowPath is TestTurnPastLease on a store that is not a
// store.Drainer: the reply whose lease ran low while it waited is handed
// back, then sent once under a fresh lease and recorded with Kaleyra's id.
func TestTurnPastLeaseSlowPath(t *testing.T) {
	const lease = 10 * time.Second
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			st := b.open(t)
			waits := onTurnWaits(t)
			phones := map[string]string{"a1": shopper, "b1": "919876500002"}
			ids := map[string]string{}
			for text, phone := range phones {
				_, out := commit(t, st, phone, "w"+text, 0, text)
				ids[text] = out[0].ID
			}
			var now atomic.Int64 // from after the commits, which made both shoppers due
			now.Store(time.Now().UnixNano())
			s := &gatedSender{recordSender: recordSender{got: make(chan string, 16)}, open: make(chan struct{})}
			r, err := outbox.New(outbox.Config{Store: outboxOnly{st}, Sender: s, Logger: quiet(), Workers: 2, Sends: 1,
				Poll: 5 * time.Millisecond, Lease: lease, Clock: func() time.Time { return time.Unix(0, now.Load()) }})
			if err != nil {
				t.Fatal(err)
			}
			r.Start()
			t.Cleanup(func() { _ = r.Stop(context.Background()) })
			first := receive(t, s.got)
			eventually(t, "the other worker about to wait for its turn", func() bool { return waits.Load() == 2 })
			now.Add(int64(lease))
			close(s.open)
			second := receive(t, s.got)
			if first == second || phones[first] == "" || phones[second] == "" {
				t.Fatalf("sent %q then %q, want a1 and b1", first, second)
			}
			for text, phone := range phones {
				eventually(t, text+" recorded as sent with Kaleyra's id", func() bool {
					rec, err := st.Status(context.Background(), phone, ids[text])
					return err == nil && rec.Status == store.StatusSent && rec.MessageID == "k-"+ids[text]
				})
			}
			select {
			case extra := <-s.got:
				t.Fatalf("sent %q again", extra)
			default:
			}
		})
	}
}

// TestStopWhileWaitingForTurn stops the runner while one send is in flight
// and three workers wait for their turn: those three hand their outboxes
// back at once, before the send in flight ends, and send nothing.
func TestStopWhileWaitingForTurn(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			st := b.open(t)
			waits := onTurnWaits(t)
			s := &heldSender{open: make(chan struct{})}
			r, err := outbox.New(outbox.Config{Store: st, Sender: s, Logger: quiet(), Workers: 4, Sends: 1,
				Poll: 5 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			var phones []string
			for i := range 4 {
				phones = append(phones, fmt.Sprintf("9198765000%02d", i))
				commit(t, st, phones[i], fmt.Sprintf("w%d", i), 0, "hi")
			}
			r.Start()
			eventually(t, "one send in flight, three waiting", func() bool {
				return s.inflight.Load() == 1 && waits.Load() == 4
			})
			stopped := make(chan error, 1)
			go func() { stopped <- r.Stop(context.Background()) }()
			ctx := context.Background()
			eventually(t, "three outboxes handed back while the send is in flight", func() bool {
				free := 0
				for _, p := range phones {
					if tok, err := st.Lease(ctx, p, time.Second); err == nil {
						free++
						_ = st.Release(ctx, p, tok)
					}
				}
				return free == 3 && s.inflight.Load() == 1
			})
			s.open <- struct{}{}
			if err := <-stopped; err != nil {
				t.Fatal(err)
			}
			if got := s.max.Load(); got != 1 {
				t.Fatalf("%d sends in flight at once, want 1", got)
			}
		})
	}
}
