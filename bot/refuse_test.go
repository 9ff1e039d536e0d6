package bot

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/metrics"
	"github.com/souk-commerce/souk/bot/outbox"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/internal/testwait"
	"github.com/souk-commerce/souk/store"
)

// scrapeLine returns the value line of metric line (name and labels) in
// m's text exposition, or "" when it is absent.
func scrapeLine(t *testing.T, m *metrics.Metrics, line string) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	for _, l := range strings.Split(rec.Body.String(), "\n") {
		if strings.HasPrefix(l, line+" ") {
			return l
		}
	}
	return ""
}

// restartMetered builds a new engine on h's store, as restart does but
// with metrics on it and its store and no log, sending through the outbox
// or else to h.rec; it returns the metrics.
func (h *harness) restartMetered(outbox bool) *metrics.Metrics {
	h.t.Helper()
	m := metrics.New()
	cfg := Config{Flow: h.flow, Store: metrics.Store{Redis: h.st, Metrics: m}, Handlers: h.reg, Metrics: m, Outbox: outbox,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Clock: func() time.Time { return h.now }}
	if !outbox {
		cfg.Dispatcher = h.rec
	}
	eng, err := New(cfg)
	if err != nil {
		h.t.Fatal(err)
	}
	h.eng = eng
	return m
}

func TestWindowRefusalsDeadLettered(t *testing.T) {
	tests := []struct {
		name   string
		outbox bool
		// dead is how many dead letters the two refusals leave.
		dead int
	}{
		{"outbox mode dead-letters", true, 2},
		{"dispatcher mode only counts", false, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newShop(t)
			ctx := context.Background()
			m := h.restartMetered(tc.outbox)
			// A webhook delivered late: its message is 25 hours old, so the
			// reply of the new conversation's start state is refused.
			h.send(whatsapp.Event{Kind: whatsapp.KindText, Text: "hi", Timestamp: h.now.Add(-25 * time.Hour)})
			if c := h.conv(); c.State != "home" {
				t.Fatalf("the move was not committed: state %q", c.State)
			}
			if head, queued, _ := h.st.Head(ctx, h.phone); queued != tc.outbox || queued && !strings.Contains(string(head.Payload), `"send_by"`) {
				t.Fatalf("outbox head %s (%v): want the refused reply, its deadline passed, committed with the move in outbox mode", head.Payload, queued)
			}
			// An operator's text long after the last message is refused too.
			if _, err := h.eng.Send(ctx, h.phone, whatsapp.Text{Body: "come back"}); !errors.Is(err, ErrOutsideWindow) {
				t.Fatalf("Send outside the window: %v", err)
			}
			// A template never is.
			if _, err := h.eng.Send(ctx, h.phone, whatsapp.Template{Name: "offer", Language: "en_US", CatalogID: "1", ProductID: "pz-1"}); err != nil {
				t.Fatalf("template: %v", err)
			}
			if got := scrapeLine(t, m, `souk_window_refusals_total{kind="text"}`); !strings.HasSuffix(got, " 2") {
				t.Errorf("window refusals: %q, want 2 (one reply, one Send)", got)
			}
			if tc.outbox {
				// The move's refused reply went into the outbox with the move;
				// the sender dead-letters it and sends the template.
				sent := runSender(t, h, m)
				testwait.Until(t, "the template sent", 10*time.Second, func() bool { return len(sent()) == 1 })
				if got := sent(); got[0] != "template" {
					t.Errorf("sent %v, want only the template", got)
				}
			}
			wantDead := ""
			if tc.dead > 0 {
				wantDead = `souk_dead_letters_total{code="outside_window",kind="text"} 2`
			}
			testwait.Until(t, "the refusals dead-lettered", 10*time.Second, func() bool {
				return scrapeLine(t, m, `souk_dead_letters_total{code="outside_window",kind="text"}`) == wantDead
			})
			dls, err := h.st.DeadLetters(ctx, 10)
			if err != nil || len(dls) != tc.dead {
				t.Fatalf("dead letters: %d %v, want %d", len(dls), err, tc.dead)
			}
			for _, d := range dls {
				if !strings.Contains(d.Reason, "24-hour customer-service window") || strings.Contains(d.Reason, h.phone) ||
					d.Message.Phone != h.phone {
					t.Errorf("dead letter %+v", d)
				}
				if s, err := h.st.Status(ctx, "", d.Message.ID); err != nil || s.Status != store.StatusDead {
					t.Errorf("status of %s: %+v %v", d.Message.ID, s, err)
				}
			}
		})
	}
}

// TestRepliesCarrySendBy checks that every session reply carries the end
// of the shopper's window, for a sender that gets to it late, and that a
// template carries none.
func TestRepliesCarrySendBy(t *testing.T) {
	h := newHarness(t, "flow: w\nstart: a\ncatalog: \"1\"\nstates:\n  a:\n    send:\n      - text: hi\n"+
		"      - template: {name: offer, language: en, product: p1}\n", nil, nil)
	written := h.now.Add(-time.Hour + 300*time.Millisecond)
	if got := h.send(whatsapp.Event{Kind: whatsapp.KindText, Text: "hi", Timestamp: written}); len(got) != 2 {
		t.Fatalf("dispatched %v, want the text and the template", got)
	}
	if by, want := h.rec.taken[0].SendBy, written.Add(Window).Truncate(time.Second); !by.Equal(want) {
		t.Errorf("text SendBy = %v, want %v (the shopper's message + 24h, to the second)", by, want)
	}
	if by := h.rec.taken[1].SendBy; !by.IsZero() {
		t.Errorf("template SendBy = %v, want none", by)
	}
}

// runSender runs an outbox sender on h's store, with m as its observer,
// until the test ends; it returns what has been sent so far, by kind.
func runSender(t *testing.T, h *harness, m *metrics.Metrics) func() []string {
	t.Helper()
	rec := &kindRecorder{}
	r, err := outbox.New(outbox.Config{Store: h.st, Sender: rec, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Observer: m, Poll: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	r.Start()
	t.Cleanup(func() { _ = r.Stop(context.Background()) })
	return rec.kinds
}

// kindRecorder is a kaleyra.Sender that accepts every message and keeps
// its kind.
type kindRecorder struct {
	mu   sync.Mutex
	sent []string
}

func (k *kindRecorder) Send(_ context.Context, o whatsapp.Outbound) (kaleyra.Result, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.sent = append(k.sent, o.Message.Kind())
	return kaleyra.Result{Status: 202, MessageID: "k-" + o.ID}, nil
}

func (k *kindRecorder) kinds() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return slices.Clone(k.sent)
}
