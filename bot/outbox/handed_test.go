package outbox_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/outbox"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/store"
)

// recordSender accepts every message and records its text, in order.
type recordSender struct{ got chan string }

func (s recordSender) Send(_ context.Context, o whatsapp.Outbound) (kaleyra.Result, error) {
	s.got <- o.Message.(whatsapp.Text).Body
	return kaleyra.Result{MessageID: "k-" + o.ID, Status: 202}, nil
}

// TestDispatchLeased hands the runner outboxes leased at commit, with the
// due set polled only hourly: the first reply leaves as it was handed over
// (not as read back from the store), the rest follow from the store in
// order, and the drained outbox is let go so that the next commit leases
// it again.
func TestDispatchLeased(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			st := b.open(t)
			s := recordSender{got: make(chan string, 16)}
			r, err := outbox.New(outbox.Config{Store: st, Sender: s, Logger: quiet(), Workers: 2, Poll: time.Hour})
			if err != nil {
				t.Fatal(err)
			}
			if r.LeaseFor() != outbox.DefaultLease {
				t.Fatalf("LeaseFor = %s, want %s", r.LeaseFor(), outbox.DefaultLease)
			}
			r.Start()
			defer func() { _ = r.Stop(context.Background()) }()
			for round, wamid := range []string{"w1", "w2"} {
				token, out := commitLeased(t, st, shopper, wamid, "first", "second")
				if token == "" {
					t.Fatalf("round %d: the commit did not lease the outbox", round)
				}
				handed := whatsapp.Outbound{ID: out[0].ID, To: shopper, Message: whatsapp.Text{Body: "first as handed"}}
				r.DispatchLeased(shopper, token, out[0], handed)
				got := []string{receive(t, s.got), receive(t, s.got)}
				if want := []string{"first as handed", "second"}; !slices.Equal(got, want) {
					t.Fatalf("round %d: sent %v, want %v", round, got, want)
				}
				eventually(t, "second recorded as sent", func() bool {
					st2, err := st.Status(context.Background(), shopper, out[1].ID)
					return err == nil && st2.Status == store.StatusSent
				})
			}
		})
	}
}

func receive(t *testing.T, c chan string) string {
	t.Helper()
	select {
	case s := <-c:
		return s
	case <-time.After(10 * time.Second):
		t.Fatal("nothing sent within 10s")
		return ""
	}
}

// gatedSender is a recordSender whose first send waits for open to close.
type gatedSender struct {
	recordSender
	open  chan struct{}
	first sync.Once
}

func (s *gatedSender) Send(ctx context.Context, o whatsapp.Outbound) (kaleyra.Result, error) {
	res, err := s.recordSender.Send(ctx, o)
	s.first.Do(func() { <-s.open })
	return res, err
}

// oneGatedWorker starts a runner on st with one worker, the due set polled
// only hourly, and a gatedSender, and stops it when t ends.
func oneGatedWorker(t *testing.T, st *store.Redis, clock func() time.Time) (*outbox.Runner, *gatedSender) {
	return oneGatedWorkerLeasing(t, st, clock, 0)
}

// oneGatedWorkerLeasing is oneGatedWorker with Config.Lease set to lease
// (0: the default).
func oneGatedWorkerLeasing(t *testing.T, st *store.Redis, clock func() time.Time, lease time.Duration) (*outbox.Runner, *gatedSender) {
	t.Helper()
	s := &gatedSender{recordSender: recordSender{got: make(chan string, 16)}, open: make(chan struct{})}
	r, err := outbox.New(outbox.Config{Store: st, Sender: s, Logger: quiet(), Workers: 1, Poll: time.Hour, Clock: clock, Lease: lease})
	if err != nil {
		t.Fatal(err)
	}
	r.Start()
	t.Cleanup(func() { _ = r.Stop(context.Background()) })
	return r, s
}

// TestHandedInTurn has one worker send a shopper's three replies while a
// second shopper's outbox waits for it: the second shopper's reply goes out
// right after the first shopper's first, not after all three, and the
// first shopper's replies still leave in order.
func TestHandedInTurn(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			st := b.open(t)
			r, s := oneGatedWorker(t, st, time.Now)
			const other = "919876500001"
			tokA, outA := commitLeased(t, st, shopper, "wa", "a1", "a2", "a3")
			tokB, outB := commitLeased(t, st, other, "wb", "b1")
			r.DispatchLeased(shopper, tokA, outA[0], whatsapp.Outbound{ID: outA[0].ID, To: shopper, Message: whatsapp.Text{Body: "a1"}})
			got := []string{receive(t, s.got)} // the worker is now in a1's send
			r.DispatchLeased(other, tokB, outB[0], whatsapp.Outbound{ID: outB[0].ID, To: other, Message: whatsapp.Text{Body: "b1"}})
			close(s.open)
			for range 3 {
				got = append(got, receive(t, s.got))
			}
			if want := []string{"a1", "b1", "a2", "a3"}; !slices.Equal(got, want) {
				t.Fatalf("sent %v, want %v", got, want)
			}
		})
	}
}

// TestQueuedKept has the engine tell the runner of replies committed while
// a worker sends to the shopper: the worker sends them as told, without
// reading them back, in order, also when it puts the outbox back in line
// for another shopper. Replies told for a shopper no worker here is on
// are not kept: that shopper's reply leaves as stored.
func TestQueuedKept(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			st := b.open(t)
			r, s := oneGatedWorker(t, st, time.Now)
			const other, third = "919876500003", "919876500004"
			tokA, outA := commitLeased(t, st, shopper, "wa", "a1")
			r.DispatchLeased(shopper, tokA, outA[0], whatsapp.Outbound{ID: outA[0].ID, To: shopper, Message: whatsapp.Text{Body: "a1"}})
			got := []string{receive(t, s.got)} // the worker is now in a1's send
			queue := func(phone, wamid string, texts ...string) {
				t.Helper()
				tok, out := commitLeased(t, st, phone, wamid, texts...)
				if tok != "" {
					t.Fatalf("%s: the commit leased an outbox a worker holds", wamid)
				}
				var told []whatsapp.Outbound
				for i, m := range out {
					told = append(told, whatsapp.Outbound{ID: m.ID, To: phone, Message: whatsapp.Text{Body: texts[i] + " as told"}})
				}
				r.Queued(phone, told)
			}
			queue(shopper, "wa2", "a2", "a3")
			tokB, outB := commitLeased(t, st, other, "wb", "b1")
			r.DispatchLeased(other, tokB, outB[0], whatsapp.Outbound{ID: outB[0].ID, To: other, Message: whatsapp.Text{Body: "b1"}})
			// third's outbox is leased, as by another process's sender, until
			// the others are sent: not due, so no poll here takes it early.
			tokC, outC := commitLeased(t, st, third, "wc", "c1")
			r.Queued(third, []whatsapp.Outbound{{ID: outC[0].ID, To: third, Message: whatsapp.Text{Body: "c1 as told"}}})
			close(s.open)
			for range 3 {
				got = append(got, receive(t, s.got))
			}
			if want := []string{"a1", "b1", "a2 as told", "a3 as told"}; !slices.Equal(got, want) {
				t.Fatalf("sent %v, want %v", got, want)
			}
			if err := st.Release(context.Background(), third, tokC); err != nil {
				t.Fatal(err)
			}
			r.Hint(third)
			if got := receive(t, s.got); got != "c1" {
				t.Fatalf("sent %q, want c1 as stored", got)
			}
		})
	}
}
