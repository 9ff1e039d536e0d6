package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/bottest"
	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/outbox"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/store"
)

// deadlineSender reports the deadline of each send's context.
type deadlineSender struct{ deadlines chan time.Duration }

func (s deadlineSender) Send(ctx context.Context, o whatsapp.Outbound) (kaleyra.Result, error) {
	d, ok := ctx.Deadline()
	if !ok {
		s.deadlines <- -1
	} else {
		s.deadlines <- time.Until(d)
	}
	return kaleyra.Result{MessageID: "k-" + o.ID, Status: 202}, nil
}

// TestSendTimeoutFollowsLease checks that each send is bounded by
// SendTimeout, which defaults to half a short lease, and that a send
// timeout as long as the lease is refused.
func TestSendTimeoutFollowsLease(t *testing.T) {
	st := backends[0].open(t)
	s := deadlineSender{deadlines: make(chan time.Duration, 4)}
	r, err := outbox.New(outbox.Config{Store: st, Sender: s, Logger: quiet(), Workers: 1, Poll: 5 * time.Millisecond, Lease: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	r.Start()
	t.Cleanup(func() { _ = r.Stop(context.Background()) })
	queue(t, st, "w1", "hello")
	select {
	case d := <-s.deadlines:
		if d <= 0 || d > 2*time.Second/3 {
			t.Errorf("send deadline in %v, want within the default SendTimeout of a third of the 2s lease", d)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("nothing was sent")
	}
	if _, err := outbox.New(outbox.Config{Store: st, Sender: s, Lease: time.Second, SendTimeout: time.Second/2 + 1}); err == nil {
		t.Error("a send timeout of more than half the lease was accepted")
	}
	if _, err := outbox.New(outbox.Config{Store: st, Sender: s, Lease: time.Second, SendTimeout: time.Second / 2}); err != nil {
		t.Errorf("a send timeout of half the lease: %v", err)
	}
	if _, err := outbox.New(outbox.Config{Store: st, Sender: s, Lease: outbox.MinLease - 1}); err == nil {
		t.Error("a lease under MinLease was accepted")
	}
}

// TestHandedLeaseBoundary hands over outboxes that waited in line just
// short of and just past the point where a 10s lease no longer covers a
// send of its default SendTimeout (a third of the lease) and a quarter of
// the lease to record it: the first is sent from the hand-over, the second
// is handed back and sent from the store under a fresh lease; each reply
// leaves once.
func TestHandedLeaseBoundary(t *testing.T) {
	const lease = 10 * time.Second
	const boundary = lease - lease/3 - lease/4
	for _, tt := range []struct {
		name   string
		waited time.Duration
		want   string
	}{
		{"within", boundary - time.Millisecond, "b1 as handed"},
		{"past", boundary + time.Millisecond, "b1"},
		{"a whole lease", lease, "b1"},
	} {
		for _, b := range backends {
			t.Run(b.name+"/"+tt.name, func(t *testing.T) { handedAfter(t, b.open(t), lease, tt.waited, tt.want) })
		}
	}
}

// handedAfter hands one shopper's outbox to a busy worker, lets the clock
// move by waited while it waits in line, and checks which copy of its
// reply the worker sends (want), once.
func handedAfter(t *testing.T, st *store.Redis, lease, waited time.Duration, want string) {
	t.Helper()
	var now atomic.Int64
	now.Store(time.Now().UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()) }
	r, s := oneGatedWorkerLeasing(t, st, clock, lease)
	const other = "919876500002"
	b1 := handTwo(t, st, r, s.got, other)
	now.Add(int64(waited))
	close(s.open)
	requireSentOnce(t, st, s.got, other, b1.ID, want)
}

// handTwo hands r the outbox of shopper (reply a1) and, once a1's send has
// begun, that of other, whose reply b1 is handed over as "b1 as handed";
// it returns b1's entry.
func handTwo(t *testing.T, st *store.Redis, r *outbox.Runner, got chan string, other string) store.OutMessage {
	t.Helper()
	tokA, outA := commitLeased(t, st, shopper, "wa", "a1")
	tokB, outB := commitLeased(t, st, other, "wb", "b1")
	r.DispatchLeased(shopper, tokA, outA[0], whatsapp.Outbound{ID: outA[0].ID, To: shopper, Message: whatsapp.Text{Body: "a1"}})
	if sent := receive(t, got); sent != "a1" {
		t.Fatalf("first send %q, want a1", sent)
	}
	r.DispatchLeased(other, tokB, outB[0], whatsapp.Outbound{ID: outB[0].ID, To: other, Message: whatsapp.Text{Body: "b1 as handed"}})
	return outB[0]
}

// requireSentOnce checks that the next send is want, that phone's message
// id is then recorded as sent, and that nothing more was sent.
func requireSentOnce(t *testing.T, st *store.Redis, got chan string, phone, id, want string) {
	t.Helper()
	if sent := receive(t, got); sent != want {
		t.Fatalf("sent %q, want %q", sent, want)
	}
	eventually(t, want+" recorded as sent", func() bool {
		rec, err := st.Status(context.Background(), phone, id)
		return err == nil && rec.Status == store.StatusSent
	})
	select {
	case extra := <-got:
		t.Fatalf("sent %q again", extra)
	default:
	}
}

// startPolling starts one worker on st, polling every 5ms, that sends
// through the recordSender it returns.
func startPolling(t *testing.T, st store.Outbox, log *slog.Logger) recordSender {
	t.Helper()
	s := recordSender{got: make(chan string, 4)}
	r, err := outbox.New(outbox.Config{Store: st, Sender: s, Logger: log, Workers: 1, Poll: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	r.Start()
	t.Cleanup(func() { _ = r.Stop(context.Background()) })
	return s
}

// flakyStore fails the first fails records of a send, as a store that is
// away for a moment does.
type flakyStore struct {
	*store.Redis
	fails atomic.Int32
}

func (f *flakyStore) SentNext(ctx context.Context, phone, token string, m store.OutMessage, messageID string) (store.OutMessage, bool, error) {
	if f.fails.Add(-1) >= 0 {
		return store.OutMessage{}, false, errors.New("dial tcp 127.0.0.1:6379: connection refused")
	}
	return f.Redis.SentNext(ctx, phone, token, m, messageID)
}

// TestSentRecordedAfterStoreBlip has the store refuse to record a send
// three times: the runner tries again while the lease lasts, so the
// reply is recorded and not sent a second time.
func TestSentRecordedAfterStoreBlip(t *testing.T) {
	st := &flakyStore{Redis: backends[0].open(t)}
	st.fails.Store(3)
	s := startPolling(t, st, quiet())
	ids := queue(t, st.Redis, "w1", "hello")
	if got := receive(t, s.got); got != "hello" {
		t.Fatalf("sent %q", got)
	}
	eventually(t, "hello recorded as sent", func() bool {
		got, err := st.Status(context.Background(), shopper, ids[0])
		return err == nil && got.Status == store.StatusSent
	})
	if _, left, err := st.Head(context.Background(), shopper); err != nil || left {
		t.Errorf("outbox not drained (%v)", err)
	}
	select {
	case extra := <-s.got:
		t.Fatalf("sent %q again", extra)
	default:
	}
}

// afterRecordStore records each send, then fails the step after it once,
// as a Cluster's second step can.
type afterRecordStore struct {
	*store.Redis
	failed atomic.Bool
}

func (a *afterRecordStore) SentNext(ctx context.Context, phone, token string, m store.OutMessage, messageID string) (store.OutMessage, bool, error) {
	next, ok, err := a.Redis.SentNext(ctx, phone, token, m, messageID)
	if err == nil && a.failed.CompareAndSwap(false, true) {
		return store.OutMessage{}, false, fmt.Errorf("%w: indexing message id: connection reset", store.ErrAfterRecord)
	}
	return next, ok, err
}

// TestStepAfterRecordFails: when the step after a recorded send fails, the
// send is not tried again nor logged as unrecorded, and the rest of the
// outbox still leaves, once.
func TestStepAfterRecordFails(t *testing.T) {
	st := &afterRecordStore{Redis: backends[0].open(t)}
	logs := &bottest.Buffer{}
	s := startPolling(t, st, slog.New(slog.NewTextHandler(logs, nil)))
	queue(t, st.Redis, "w1", "one", "two")
	for _, want := range []string{"one", "two"} {
		if got := receive(t, s.got); got != want {
			t.Fatalf("sent %q, want %q", got, want)
		}
	}
	eventually(t, "outbox drained", func() bool {
		_, left, err := st.Head(context.Background(), shopper)
		return err == nil && !left
	})
	select {
	case extra := <-s.got:
		t.Fatalf("sent %q again", extra)
	default:
	}
	if out := logs.String(); strings.Contains(out, "not recorded") || !strings.Contains(out, "sent and recorded") {
		t.Errorf("log:\n%s\nwant the send logged as recorded", out)
	}
}
