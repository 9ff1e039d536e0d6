package bot

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/metrics"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/handlers"
	"github.com/souk-commerce/souk/store"
	"github.com/souk-commerce/souk/store/storetest"
)

// recorder is a Dispatcher that keeps what it is given.
type recorder struct {
	mu    sync.Mutex
	out   []whatsapp.Outbound
	taken []whatsapp.Outbound // what the last take returned
}

func (r *recorder) Dispatch(_ context.Context, msgs []whatsapp.Outbound) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.out = append(r.out, msgs...)
	return nil
}

// take returns and forgets what was dispatched, as short strings.
func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var s []string
	for _, o := range r.out {
		s = append(s, describe(o.Message))
	}
	r.taken, r.out = r.out, nil
	return s
}

func describe(m whatsapp.Message) string {
	switch m := m.(type) {
	case whatsapp.Text:
		return "text:" + m.Body
	case whatsapp.Template:
		return "template:" + m.Name
	}
	return m.Kind()
}

// harness is an engine on an embedded Redis with a recording dispatcher
// and a settable clock.
type harness struct {
	t     *testing.T
	st    *store.Redis
	rec   *recorder
	reg   *handlers.Registry
	flow  *flows.Flow
	logs  *bytes.Buffer
	now   time.Time
	eng   *Engine
	seq   int
	phone string
	met   *metrics.Metrics // what restart gives the engine; nil: none
}

func newHarness(t *testing.T, flow string, files map[string]string, register func(*handlers.Registry)) *harness {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	reg := handlers.NewRegistry()
	handlers.RegisterBuiltins(reg)
	if register != nil {
		register(reg)
	}
	path := filepath.Join(dir, "flow.yaml")
	if err := os.WriteFile(path, []byte(flow), 0o644); err != nil {
		t.Fatal(err)
	}
	f, diags := flows.Load(path, flows.Options{HasHandler: reg.Has})
	if diags.HasErrors() {
		t.Fatalf("flow: %v", diags)
	}
	st := storetest.Miniredis(t)
	h := &harness{t: t, st: st, rec: &recorder{}, reg: reg, flow: f, logs: &bytes.Buffer{},
		now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC), phone: "919876543210"}
	h.restart()
	return h
}

// restart builds a new engine on the same store, as a new process would.
func (h *harness) restart() {
	h.t.Helper()
	eng, err := New(Config{Flow: h.flow, Store: h.st, Dispatcher: h.rec, Handlers: h.reg,
		Logger: slog.New(slog.NewTextHandler(&syncWriter{w: h.logs}, nil)), Clock: func() time.Time { return h.now },
		HandlerTimeout: time.Second, Metrics: h.met})
	if err != nil {
		h.t.Fatal(err)
	}
	h.eng = eng
}

type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// text sends typed text from the shopper and returns what was dispatched.
func (h *harness) text(body string) []string {
	return h.send(whatsapp.Event{Kind: whatsapp.KindText, Text: body})
}

func (h *harness) order(items ...whatsapp.OrderItem) []string {
	return h.send(whatsapp.Event{Kind: whatsapp.KindOrder, Order: &whatsapp.Order{Items: items}})
}

func (h *harness) send(ev whatsapp.Event) []string {
	h.t.Helper()
	h.seq++
	ev.ID = "wamid." + strings.Repeat("x", h.seq)
	ev.From, ev.Name = h.phone, "Asha"
	if ev.Timestamp.IsZero() {
		ev.Timestamp = h.now
	}
	if _, err := h.eng.Handle(context.Background(), ev); err != nil {
		h.t.Fatalf("Handle: %v", err)
	}
	return h.rec.take()
}

func (h *harness) conv() store.Conversation {
	h.t.Helper()
	c, err := h.st.Load(context.Background(), h.phone)
	if err != nil {
		h.t.Fatal(err)
	}
	return c
}

func eq(a, b []string) bool { return strings.Join(a, "\n") == strings.Join(b, "\n") }
