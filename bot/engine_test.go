package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/handlers"
	"github.com/souk-commerce/souk/store"
	"github.com/souk-commerce/souk/store/storetest"
)

// bodies strips the "text:" prefix the recorder puts on text messages.
func bodies(described []string) []string {
	out := make([]string, len(described))
	for i, d := range described {
		out[i] = strings.TrimPrefix(d, "text:")
	}
	return out
}

func newEngine(t *testing.T, src string, reg *handlers.Registry) (*Engine, *recorder, store.Store) {
	t.Helper()
	st := storetest.Miniredis(t)
	rec := &recorder{}
	if reg == nil {
		reg = builtins()
	}
	eng, err := New(Config{Flow: mustFlow(t, src), Store: st, Dispatcher: rec, Handlers: reg,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return eng, rec, st
}

// builtins is a registry of the built-in handlers only.
func builtins() *handlers.Registry {
	reg := handlers.NewRegistry()
	handlers.RegisterBuiltins(reg)
	return reg
}

var seq int

func say(t *testing.T, e *Engine, text string) Result {
	t.Helper()
	seq++
	res, err := e.Handle(context.Background(), whatsapp.Event{Kind: whatsapp.KindText, ID: fmt.Sprintf("wamid.%d", seq),
		From: "919876543210", Name: "Asha", Text: text, Timestamp: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestEngineMovesAndResends(t *testing.T) {
	e, rec, _ := newEngine(t, ruleFlow, nil)
	steps := []struct{ say, state, sent string }{
		{"hi", "home", "home"},
		{"shop", "shop", "shop"},
		{"whatever", "shop", "shop"}, // no else: re-entered, re-sent
		{"menu", "home", "home"},
		{"something", "search", "search"},
	}
	for _, s := range steps {
		res := say(t, e, s.say)
		got := bodies(rec.take())
		if res.To != s.state || len(got) != 1 || got[0] != s.sent {
			t.Fatalf("say %q: state %q sent %v, want %q and [%s]", s.say, res.To, got, s.state, s.sent)
		}
	}
}

func TestEngineDuplicateMovesOnce(t *testing.T) {
	e, rec, _ := newEngine(t, ruleFlow, nil)
	ev := whatsapp.Event{Kind: whatsapp.KindText, ID: "wamid.same", From: "919876543210", Text: "hi"}
	for i := range 3 {
		res, err := e.Handle(context.Background(), ev)
		if err != nil {
			t.Fatal(err)
		}
		if res.Duplicate != (i > 0) {
			t.Fatalf("delivery %d: duplicate = %v", i, res.Duplicate)
		}
	}
	if n := len(rec.take()); n != 1 {
		t.Fatalf("%d replies for one message delivered three times, want 1", n)
	}
}

const handlerFlow = `
flow: h
start: home
error_text: "Oops {{.Contact.Name}}"
states:
  home:
    send: [{text: home}]
    on: {count: count, boom: boom, panic: panicky, loop: loop, hop: hop}
  count:
    run: counter
    send: [{text: "count {{.Vars.n}}"}]
    else: count
  boom:
    run: failing
    send: [{text: never}]
  panicky:
    run: panicking
  loop:
    run: looping
  hop:
    run: hopping
    send: [{text: never}]
  landed:
    send: [{text: "landed {{.Vars.hopped}}"}]
`

func testRegistry() *handlers.Registry {
	reg := handlers.NewRegistry()
	reg.Register("counter", handlers.Func(func(_ context.Context, c *handlers.Conversation) error {
		n, _ := c.Vars["n"].(float64)
		c.Set("n", n+1)
		return nil
	}))
	reg.Register("failing", handlers.Func(func(context.Context, *handlers.Conversation) error { return errors.New("no stock service") }))
	reg.Register("panicking", handlers.Func(func(context.Context, *handlers.Conversation) error { panic("bug") }))
	reg.Register("looping", handlers.Func(func(_ context.Context, c *handlers.Conversation) error { c.Redirect("loop"); return nil }))
	reg.Register("hopping", handlers.Func(func(_ context.Context, c *handlers.Conversation) error {
		c.Set("hopped", "yes")
		c.Send(whatsapp.Text{Body: "from handler"})
		c.Redirect("landed")
		return nil
	}))
	return reg
}

func TestEngineHandlers(t *testing.T) {
	tests := []struct {
		name      string
		say       []string
		wantState string
		wantSent  []string
	}{
		{"vars persist across messages", []string{"hi", "count", "again", "again"}, "count", []string{"count 3"}},
		{"an error keeps the state and sends error_text", []string{"hi", "boom"}, "home", []string{"Oops Asha"}},
		{"a panic keeps the state and sends error_text", []string{"hi", "panic"}, "home", []string{"Oops Asha"}},
		{"an endless redirect chain is cut", []string{"hi", "loop"}, "home", []string{"Oops Asha"}},
		{"a redirect sends the handler's then the target's messages", []string{"hi", "hop"}, "landed", []string{"from handler", "landed yes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, rec, _ := newEngine(t, handlerFlow, testRegistry())
			var res Result
			for _, s := range tt.say {
				rec.take()
				res = say(t, e, s)
			}
			got := bodies(rec.take())
			if res.To != tt.wantState || fmt.Sprint(got) != fmt.Sprint(tt.wantSent) {
				t.Errorf("state %q sent %q, want %q and %q", res.To, got, tt.wantState, tt.wantSent)
			}
		})
	}
}

func TestEngineConcurrentMovesAllApply(t *testing.T) {
	e, rec, st := newEngine(t, handlerFlow, testRegistry())
	say(t, e, "hi")
	say(t, e, "count")
	const n = 40
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ev := whatsapp.Event{Kind: whatsapp.KindText, ID: fmt.Sprintf("wamid.c%d", i), From: "919876543210", Text: "again"}
			if _, err := e.Handle(context.Background(), ev); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	c, err := st.Load(context.Background(), "919876543210")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Vars["n"]; got != float64(n+1) {
		t.Errorf("counter = %v after %d concurrent messages, want %d (a lost update)", got, n, n+1)
	}
	if sent := len(rec.take()); sent != n+2 {
		t.Errorf("%d replies, want %d", sent, n+2)
	}
}

// TestEngineLeavesAsidesAlone checks that a reaction or a system notice
// (a number change) neither moves the conversation nor makes the bot
// repeat itself, also from a new shopper (who gets no conversation), while
// an image still re-enters the state as any other unmatched message does.
// An aside still tells the shopper's name and that they wrote, but is no
// activity.
func TestEngineLeavesAsidesAlone(t *testing.T) {
	e, rec, st := newEngine(t, ruleFlow, nil)
	other := func(typ, from string) Result {
		t.Helper()
		seq++
		res, err := e.Handle(context.Background(), whatsapp.Event{Kind: whatsapp.KindOther, Type: typ,
			ID: fmt.Sprintf("wamid.%d", seq), From: from, Name: "Asha R", Timestamp: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if res := other("reaction", "919876500000"); res.Ignored != IgnoredAside || len(rec.take()) != 0 {
		t.Fatalf("a new shopper's reaction: %+v; want it left alone", res)
	}
	if c, err := st.Load(context.Background(), "919876500000"); err != nil || c.Exists() {
		t.Fatalf("a new shopper's reaction made a conversation: %+v, %v", c, err)
	}
	say(t, e, "hi")
	say(t, e, "shop")
	rec.take()
	before, _ := st.Load(context.Background(), "919876543210")
	for _, typ := range []string{"reaction", "system"} {
		if res := other(typ, "919876543210"); res.Ignored != IgnoredAside || res.To != "" {
			t.Fatalf("%s: %+v; want it ignored as an aside", typ, res)
		}
		if sent := rec.take(); len(sent) != 0 {
			t.Fatalf("%s: sent %v; want nothing", typ, sent)
		}
	}
	after, _ := st.Load(context.Background(), "919876543210")
	if after.Name != "Asha R" || !after.LastActive.Equal(before.LastActive) || !after.LastInbound.After(before.LastInbound) {
		t.Errorf("after the asides: name %q, last active %v (was %v), last inbound %v (was %v); want the name, no activity, a later inbound",
			after.Name, after.LastActive, before.LastActive, after.LastInbound, before.LastInbound)
	}
	if res := other("image", "919876543210"); res.To != "shop" || len(rec.take()) != 1 {
		t.Fatalf("image: %+v; want the shop state entered again", res)
	}
	if res := say(t, e, "menu"); res.From != "shop" || res.To != "home" {
		t.Fatalf("after the asides: %+v; want shop -> home", res)
	}
}

// TestPlatformErrorLogged checks that an error in a webhook's value,
// about no message souk sent, is logged as a warning with its code and
// title instead of passing as an unknown message's status.
func TestPlatformErrorLogged(t *testing.T) {
	h := newHarness(t, ruleFlow, nil, nil)
	ev := whatsapp.Event{Kind: whatsapp.KindStatus, Envelope: whatsapp.EnvelopeMeta,
		Status: &whatsapp.Status{Status: "failed", Code: "131000", Reason: "Something went wrong"}}
	res, err := h.eng.Handle(context.Background(), ev)
	if err != nil || res.Ignored != "platform error 131000" {
		t.Fatalf("Handle = %+v, %v; want it ignored as platform error 131000", res, err)
	}
	for _, s := range []string{"level=WARN", "code=131000", `title="Something went wrong"`} {
		if !strings.Contains(h.logs.String(), s) {
			t.Errorf("log lacks %s:\n%s", s, h.logs)
		}
	}
	// A Kaleyra notice without ids may quote the recipient, in its code
	// as well as its text; neither reaches the log or the result whole.
	ev.Status = &whatsapp.Status{Status: "not sent", Code: "919876543215", Reason: "Recipient +91 98765 43215 is not a WhatsApp user"}
	res, err = h.eng.Handle(context.Background(), ev)
	if err != nil || strings.Contains(res.Ignored, "98765") {
		t.Fatalf("Handle = %+v, %v; want the number masked", res, err)
	}
	if strings.Contains(h.logs.String(), "98765") {
		t.Errorf("log quotes the number:\n%s", h.logs)
	}
}

// TestNewRefusesUnknownHandlers checks that New fails, naming each state
// and where it is, for a flow that runs handlers the registry lacks, rather
// than let every shopper who reaches such a state get the error text.
func TestNewRefusesUnknownHandlers(t *testing.T) {
	const src = "flow: f\nstart: a\nstates:\n  a:\n    run: save_order\n    send: [{text: hi}]\n  b:\n    run: opt_out\n    send: [{text: bye}]\n"
	_, err := New(Config{Flow: mustFlow(t, src), Store: storetest.Miniredis(t), Dispatcher: &recorder{}, Handlers: builtins()})
	if err == nil || !strings.Contains(err.Error(), `:5:10: state a.run: handler "save_order" is not registered`) ||
		strings.Contains(err.Error(), "opt_out") {
		t.Fatalf("New() error = %v", err)
	}
}
