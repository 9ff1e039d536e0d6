package bot

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/handlers"
	"github.com/souk-commerce/souk/store/storetest"
)

const doubleTapFlow = `flow: t
start: confirm
states:
  confirm:
    send: [{text: "Place the order?"}]
    on: {yes: placed}
  placed:
    run: place
    send: [{text: "Order {{.Vars.order}} placed"}]
    else: confirm
`

// TestDoubleTapPlacesOneOrder checks that two taps of one shopper handled
// at once by one engine take turns: the handler runs once, for the move
// that is committed, and the second tap is answered from the state the
// first one left (placed, whose else goes back to confirm).
func TestDoubleTapPlacesOneOrder(t *testing.T) {
	var placed atomic.Int32
	inFirst, letGo := make(chan struct{}), make(chan struct{})
	h := newHarness(t, doubleTapFlow, nil, func(r *handlers.Registry) {
		r.Register("place", handlers.Func(func(_ context.Context, c *handlers.Conversation) error {
			if placed.Add(1) == 1 {
				close(inFirst)
				<-letGo
			}
			c.Set("order", placed.Load())
			return nil
		}))
	})
	h.text("hi")
	tap := func(id string) whatsapp.Event {
		return whatsapp.Event{Kind: whatsapp.KindText, Text: "yes", ID: id, From: h.phone, Timestamp: h.now}
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	handle := func(ev whatsapp.Event) {
		defer wg.Done()
		_, err := h.eng.Handle(context.Background(), ev)
		errs <- err
	}
	wg.Add(2)
	go handle(tap("wamid.tap1"))
	<-inFirst
	go handle(tap("wamid.tap2"))
	waitFor(t, "the second tap to wait its turn", func() bool { return h.eng.turns.waiting(h.phone) == 2 })
	close(letGo)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := placed.Load(); n != 1 {
		t.Fatalf("the handler ran %d times for two taps on one confirmation; want 1", n)
	}
	if got := h.rec.take(); !eq(got, []string{"text:Order 1 placed", "text:Place the order?"}) {
		t.Fatalf("sent %q", got)
	}
	if h.eng.turns.waiting(h.phone) != 0 || len(h.eng.turns.busy) != 0 {
		t.Fatalf("turns left behind: %+v", h.eng.turns.busy)
	}
}

// TestTurnGivesUpWithContext checks that an event waiting for its turn
// leaves when its context ends, and that the turn is then forgotten.
func TestTurnGivesUpWithContext(t *testing.T) {
	var ts turns
	release, err := ts.take(context.Background(), "919800000001")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := ts.take(ctx, "919800000001")
		done <- err
	}()
	waitFor(t, "the second event to wait", func() bool { return ts.waiting("919800000001") == 2 })
	cancel()
	if err := <-done; err != context.Canceled {
		t.Fatalf("waiting event got %v; want context.Canceled", err)
	}
	release()
	if len(ts.busy) != 0 {
		t.Fatalf("turns left behind: %+v", ts.busy)
	}
}

// waitFor polls cond until it holds, failing after a few seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// waiting is how many events hold or wait for shopper's turn.
func (t *turns) waiting(shopper string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	if tu := t.busy[shopper]; tu != nil {
		return tu.waiters
	}
	return 0
}

// TestMoveKeyAcrossProcesses checks handlers.Conversation.MoveKey: two
// processes handling a double tap at once run the handler with the same
// key (one of the two moves is then refused by the version check), so a
// handler that places an order once per key places one; the next move's
// key differs.
func TestMoveKeyAcrossProcesses(t *testing.T) {
	var mu sync.Mutex
	keys, orders := []string{}, map[string]int{}
	inA, letA := make(chan struct{}), make(chan struct{})
	reg := handlers.NewRegistry()
	reg.Register("place", handlers.Func(func(_ context.Context, c *handlers.Conversation) error {
		mu.Lock()
		keys = append(keys, c.MoveKey)
		first := len(keys) == 1
		if _, done := orders[c.MoveKey]; !done {
			orders[c.MoveKey] = len(orders) + 1
		}
		c.Set("order", orders[c.MoveKey])
		mu.Unlock()
		if first {
			close(inA)
			<-letA
		}
		return nil
	}))
	f, diags := flows.Parse("t.yaml", []byte(doubleTapFlow), flows.Options{HasHandler: reg.Has})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	clock := func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }
	var engines []*Engine
	rec := &recorder{}
	for _, st := range storetest.MiniredisN(t, 2) {
		e, err := New(Config{Flow: f, Store: st, Dispatcher: rec, Handlers: reg, Logger: slog.New(slog.DiscardHandler), Clock: clock})
		if err != nil {
			t.Fatal(err)
		}
		engines = append(engines, e)
	}
	const phone = "919876543210"
	say := func(e *Engine, id, text string) {
		if _, err := e.Handle(context.Background(), whatsapp.Event{Kind: whatsapp.KindText, Text: text, ID: id, From: phone, Timestamp: clock()}); err != nil {
			t.Error(err)
		}
	}
	say(engines[0], "wamid.hi", "hi")
	done := make(chan struct{})
	go func() { defer close(done); say(engines[0], "wamid.tapA", "yes") }()
	<-inA
	say(engines[1], "wamid.tapB", "yes") // committed while A's handler still runs
	close(letA)
	<-done
	say(engines[1], "wamid.again", "yes") // from confirm again: a new move
	say(engines[1], "wamid.more", "yes")
	mu.Lock()
	defer mu.Unlock()
	if len(keys) != 3 || keys[0] != keys[1] || keys[2] == keys[0] || keys[0] == "" {
		t.Fatalf("move keys %q; want the double tap's two runs alike and the later move's different", keys)
	}
	if len(orders) != 2 {
		t.Fatalf("orders %v; want 2 (one per committed move)", orders)
	}
}
