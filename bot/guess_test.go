package bot_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/bottest"
	"github.com/souk-commerce/souk/bot/metrics"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/handlers"
	"github.com/souk-commerce/souk/store"
	"github.com/souk-commerce/souk/store/storetest"
)

// guessFlow answers "menu" on entering start and "shelf" once the shopper
// typed "a"; startRun, when set, makes start run a handler first.
func guessFlow(t *testing.T, startRun string) (*flows.Flow, *handlers.Registry, *atomic.Int64) {
	t.Helper()
	src := "flow: guess\nstart: menu\nstates:\n  menu:\n"
	if startRun != "" {
		src += "    run: " + startRun + "\n"
	}
	src += "    send:\n      - text: {body: menu}\n    on:\n      a: shelf\n    else: menu\n" +
		"  shelf:\n    send:\n      - text: {body: shelf}\n    else: shelf\n"
	runs := &atomic.Int64{}
	reg := handlers.NewRegistry()
	reg.Register("count", handlers.Func(func(context.Context, *handlers.Conversation) error {
		runs.Add(1)
		return nil
	}))
	return mustFlow(t, "guess.yaml", src), reg, runs
}

// guessServers starts n servers on one miniredis with guessFlow, and
// returns them with the count of start's handler runs.
func guessServers(t *testing.T, startRun string, n int) ([]guessServer, *atomic.Int64) {
	t.Helper()
	f, reg, runs := guessFlow(t, startRun)
	var out []guessServer
	for _, st := range storetest.MiniredisN(t, n) {
		out = append(out, newGuessServer(t, f, reg, st))
	}
	return out, runs
}

// guessServer is one engine on its own store client, as one souk process.
type guessServer struct {
	eng *bot.Engine
	rec *bottest.Dispatcher
	m   *metrics.Metrics
}

func newGuessServer(t *testing.T, f *flows.Flow, reg *handlers.Registry, st *store.Redis) guessServer {
	t.Helper()
	s := guessServer{rec: &bottest.Dispatcher{}, m: metrics.New()}
	var err error
	s.eng, err = bot.New(bot.Config{Flow: f, Store: metrics.Store{Redis: st, Metrics: s.m}, Handlers: reg,
		Dispatcher: s.rec, Metrics: s.m, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (s guessServer) handle(t *testing.T, phone, id, text string) bot.Result {
	t.Helper()
	res, err := s.eng.Handle(context.Background(), textWithID(phone, id, text))
	if err != nil {
		t.Fatalf("%s: %v", id, err)
	}
	return res
}

// storeOps counts souk_store_duration_seconds observations of op with
// outcome.
func storeOps(t *testing.T, m *metrics.Metrics, op, outcome string) uint64 {
	t.Helper()
	return sample(t, m, "souk_store_duration_seconds", "op", op, "outcome", outcome).GetHistogram().GetSampleCount()
}

// TestNewShopperNeedsNoLoad checks that a shopper's first message is
// committed without loading the conversation first: one commit, no load.
func TestNewShopperNeedsNoLoad(t *testing.T) {
	servers, _ := guessServers(t, "", 1)
	s := servers[0]
	if res := s.handle(t, "919876500010", "w1", "hi"); res.To != "menu" {
		t.Fatalf("first message moved to %q, want menu", res.To)
	}
	if n := storeOps(t, s.m, "seen_load", "ok"); n != 0 {
		t.Errorf("%d loads for a new shopper, want none", n)
	}
	if n := storeOps(t, s.m, "commit", "ok"); n != 1 {
		t.Errorf("%d commits, want 1", n)
	}
}

// TestGuessedNewButKnown has a second process, whose cache has never seen
// the shopper, take the conversation for new: its commit is refused, it
// tries again on the real conversation without counting a conflict, and
// the shopper gets the reply of the state they were in. A repeat of the
// first message, on a third process that has not seen the shopper either,
// is still a duplicate.
func TestGuessedNewButKnown(t *testing.T) {
	servers, _ := guessServers(t, "", 3)
	a, b, c := servers[0], servers[1], servers[2]
	const phone = "919876500011"
	a.handle(t, phone, "w1", "hi")
	if res := b.handle(t, phone, "w2", "a"); res.To != "shelf" || res.From != "menu" {
		t.Fatalf("second message moved %s -> %s, want menu -> shelf", res.From, res.To)
	}
	if got := bodies(b.rec.Take()); len(got) != 1 || got[0] != "shelf" {
		t.Fatalf("second server sent %q, want [shelf]", got)
	}
	if n := storeOps(t, b.m, "commit", "conflict"); n != 1 {
		t.Errorf("%d refused commits, want the one of the guess", n)
	}
	if got := conflictRetries(t, b.m); got != 0 {
		t.Errorf("conflict retries %v, want 0: a wrong guess is not a conflict", got)
	}
	if res := c.handle(t, phone, "w1", "hi"); !res.Duplicate || c.rec.Len() != 0 {
		t.Fatalf("repeat of the first message on a third process: %+v, sent %q; want a duplicate, nothing sent", res, bodies(c.rec.Take()))
	}
}

// TestNoGuessWhenStartRunsHandler checks that a flow whose start state
// runs a handler never guesses: the handler runs once per message, never
// on a move that is then refused.
func TestNoGuessWhenStartRunsHandler(t *testing.T) {
	servers, runs := guessServers(t, "count", 2)
	a, b := servers[0], servers[1]
	const phone = "919876500012"
	a.handle(t, phone, "w1", "hi")
	b.handle(t, phone, "w2", "hello")
	if n := runs.Load(); n != 2 {
		t.Fatalf("start's handler ran %d times for two messages", n)
	}
	if n := storeOps(t, b.m, "commit", "conflict"); n != 0 {
		t.Errorf("%d refused commits, want none", n)
	}
	if n := storeOps(t, a.m, "seen_load", "ok"); n != 1 {
		t.Errorf("%d loads for a new shopper, want 1 without guessing", n)
	}
}

// conflictRetries reads souk_conflict_retries_total from m.
func conflictRetries(t *testing.T, m *metrics.Metrics) float64 {
	t.Helper()
	return sample(t, m, "souk_conflict_retries_total").GetCounter().GetValue()
}

// TestGuessedBurstTwoServers sends a new shopper's first messages to two
// processes at once, each also delivered twice, with start running no
// handler so that every first attempt guesses: each message moves the
// conversation exactly once and gets exactly one reply.
func TestGuessedBurstTwoServers(t *testing.T) {
	const msgs = 10
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			f, reg, _ := guessFlow(t, "")
			stores := b.open(t, 2)
			servers := []guessServer{newGuessServer(t, f, reg, stores[0]), newGuessServer(t, f, reg, stores[1])}
			const phone = "919876500013"
			var wg sync.WaitGroup
			for i := range 2 * msgs {
				wg.Go(func() {
					s := servers[i%2]
					res, err := s.eng.Handle(context.Background(), textWithID(phone, fmt.Sprintf("wamid.g%d", i/2), "hi"))
					if err != nil {
						t.Error(err)
						return
					}
					if res.Duplicate && res.Sent > 0 {
						t.Errorf("a duplicate sent %d replies", res.Sent)
					}
				})
			}
			wg.Wait()
			conv, err := stores[0].Load(context.Background(), phone)
			if err != nil {
				t.Fatal(err)
			}
			if conv.Version != msgs {
				t.Fatalf("conversation at version %d after %d distinct messages, each twice", conv.Version, msgs)
			}
			if n := servers[0].rec.Len() + servers[1].rec.Len(); n != msgs {
				t.Fatalf("%d replies for %d distinct messages", n, msgs)
			}
		})
	}
}
