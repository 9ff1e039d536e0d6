package bot_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/metrics"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/store"
	"github.com/souk-commerce/souk/store/storetest"
)

// leaseTaker is a bot.QueuedDispatcher that records how each move's
// replies reached it.
type leaseTaker struct {
	mu     sync.Mutex
	calls  []string // "leased <head id> <msg id> <phone>", "queued <msg id> <phone>" or "plain <msg id>"
	tokens []string
}

func (l *leaseTaker) Queued(phone string, msgs []whatsapp.Outbound) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls = append(l.calls, "queued "+msgs[0].ID+" "+phone)
}

func (l *leaseTaker) Dispatch(_ context.Context, msgs []whatsapp.Outbound) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls = append(l.calls, "plain "+msgs[0].ID)
	return nil
}

func (l *leaseTaker) LeaseFor() time.Duration { return time.Minute }

func (l *leaseTaker) DispatchLeased(phone, token string, head store.OutMessage, msg whatsapp.Outbound) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls = append(l.calls, "leased "+head.ID+" "+msg.ID+" "+head.Phone)
	l.tokens = append(l.tokens, token)
}

// TestEngineLeasesEmptyOutbox checks that the engine hands a LeasedDispatcher
// the outbox it filled when it was empty, only tells it of the replies
// queued while a sender holds the outbox (that sender goes on to them), and
// uses plain Dispatch when older replies wait in an outbox no sender holds.
func TestEngineLeasesEmptyOutbox(t *testing.T) {
	flow, reg := loadRecordFlow(t)
	st := storetest.Miniredis(t)
	lt := &leaseTaker{}
	m := metrics.New()
	eng, err := bot.New(bot.Config{Flow: flow, Store: st, Handlers: reg, Outbox: true, Dispatcher: lt, Metrics: m,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	const phone = "919876543210"
	ctx := context.Background()
	handle := func(id string) {
		t.Helper()
		if _, err := eng.Handle(ctx, textWithID(phone, id, id)); err != nil {
			t.Fatal(err)
		}
	}
	handle("w1")
	if len(lt.calls) != 1 || len(lt.tokens) != 1 || lt.tokens[0] == "" {
		t.Fatalf("calls %q, want one leased", lt.calls)
	}
	var headID, msgID, headPhone string
	if _, err := fmt.Sscanf(lt.calls[0], "leased %s %s %s", &headID, &msgID, &headPhone); err != nil {
		t.Fatalf("first call %q: %v", lt.calls[0], err)
	}
	if headID != msgID || headPhone != phone {
		t.Fatalf("handed head %s of %s for message %s", headID, headPhone, msgID)
	}
	head, ok, err := st.Head(ctx, phone)
	if err != nil || !ok || head.ID != headID {
		t.Fatalf("outbox head %q, %v, %v; want the handed %s", head.ID, ok, err, headID)
	}
	handle("w2")
	var queuedID, queuedPhone string
	if len(lt.calls) != 2 {
		t.Fatalf("calls %q: want one more, queued, for a move behind a held outbox", lt.calls)
	}
	if _, err := fmt.Sscanf(lt.calls[1], "queued %s %s", &queuedID, &queuedPhone); err != nil || queuedPhone != phone {
		t.Fatalf("second call %q (%v): want the replies queued for %s", lt.calls[1], err, phone)
	}
	if s, err := st.Status(ctx, phone, queuedID); err != nil || s.Status != store.StatusQueued || queuedID == headID {
		t.Fatalf("queued reply %s: status %+v, %v; want a new reply queued in the outbox", queuedID, s, err)
	}
	if err := st.Release(ctx, phone, lt.tokens[0]); err != nil {
		t.Fatal(err)
	}
	handle("w3")
	if len(lt.calls) != 3 || !strings.HasPrefix(lt.calls[2], "plain ") {
		t.Fatalf("calls %q, want plain Dispatch for replies behind a free outbox", lt.calls)
	}
	for _, how := range []string{metrics.HandoverLeased, metrics.HandoverSending, metrics.HandoverWoken} {
		if n := handovers(t, m, how); n != 1 {
			t.Errorf("handovers %s = %v, want 1", how, n)
		}
	}
}

// handovers reads souk_outbox_handovers_total{how} from m.
func handovers(t *testing.T, m *metrics.Metrics, how string) float64 {
	t.Helper()
	return sample(t, m, "souk_outbox_handovers_total", "how", how).GetCounter().GetValue()
}

// sample is the sample of metric name whose labels are the given name,
// value pairs, or an empty one when m has none.
func sample(t *testing.T, m *metrics.Metrics, name string, labels ...string) *dto.Metric {
	t.Helper()
	families, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, s := range f.GetMetric() {
			if hasLabels(s, labels) {
				return s
			}
		}
	}
	return &dto.Metric{}
}

func hasLabels(s *dto.Metric, pairs []string) bool {
	if len(s.GetLabel())*2 != len(pairs) {
		return false
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		if !slices.ContainsFunc(s.GetLabel(), func(l *dto.LabelPair) bool {
			return l.GetName() == pairs[i] && l.GetValue() == pairs[i+1]
		}) {
			return false
		}
	}
	return true
}
