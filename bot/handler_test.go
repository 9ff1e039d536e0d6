package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/metrics"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/handlers"
)

const counterFlow = `flow: t
start: count
states:
  count:
    run: count
    send:
      - text: "n={{.Vars.n}} last={{.Vars.last}}"
`

func countHandler(_ context.Context, c *handlers.Conversation) error {
	n, _ := c.Vars["n"].(float64)
	c.Set("n", n+1)
	c.Set("last", c.Event.Text)
	return nil
}

func TestVarsPersistAcrossMessagesAndRestarts(t *testing.T) {
	h := newHarness(t, counterFlow, nil, func(r *handlers.Registry) { r.Register("count", handlers.Func(countHandler)) })
	steps := []struct {
		name    string
		restart bool
		say     string
		want    string
	}{
		{"first message", false, "a", "text:n=1 last=a"},
		{"second message", false, "b", "text:n=2 last=b"},
		{"after a restart", true, "c", "text:n=3 last=c"},
		{"after another restart", true, "d", "text:n=4 last=d"},
	}
	for _, s := range steps {
		if s.restart {
			h.restart()
		}
		if got := h.text(s.say); !eq(got, []string{s.want}) {
			t.Fatalf("%s: sent %q, want %q", s.name, got, s.want)
		}
	}
	if n := h.conv().Vars["n"]; n != float64(4) {
		t.Fatalf("stored n = %#v", n)
	}
}

const failFlow = `flow: t
start: home
error_text: "Oops {{.Contact.Name}}"
states:
  home:
    send: [{text: home}]
    on: {go: work, loop: ping, bad: away}
  work:
    run: work
    send: [{text: worked}]
  ping:
    run: ping
    send: [{text: ping}]
  pong:
    run: pong
    send: [{text: pong}]
  away:
    run: away
    send: [{text: away}]
  elsewhere:
    send: [{text: "elsewhere {{.Vars.mark}}"}]
`

func TestHandlerFailuresLeaveTheConversation(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	tests := []struct {
		name   string
		say    string
		work   handlers.Handler
		want   []string
		state  string
		log    string
		failed string // the handler whose run counts as failed
	}{
		{"error", "go", handlers.Func(func(_ context.Context, c *handlers.Conversation) error {
			c.Set("mark", "x")
			c.Send(whatsapp.Text{Body: "queued"})
			return errors.New("stock service down")
		}), []string{"text:Oops Asha"}, "home", "stock service down", "work"},
		{"panic", "go", handlers.Func(func(_ context.Context, c *handlers.Conversation) error {
			c.Set("mark", "x")
			var m map[string]int
			m["boom"]++
			return nil
		}), []string{"text:Oops Asha"}, "home", "panicked: assignment to entry in nil map", "work"},
		{"timeout honouring ctx", "go", handlers.WithTimeout(handlers.Func(func(ctx context.Context, c *handlers.Conversation) error {
			<-ctx.Done()
			return ctx.Err()
		}), 20*time.Millisecond), []string{"text:Oops Asha"}, "home", "handler timed out after 20ms", "work"},
		{"timeout ignoring ctx", "go", handlers.WithTimeout(handlers.Func(func(ctx context.Context, c *handlers.Conversation) error {
			<-release
			return nil
		}), 20*time.Millisecond), []string{"text:Oops Asha"}, "home", "handler timed out after 20ms", "work"},
		{"vars not JSON", "go", handlers.Func(func(_ context.Context, c *handlers.Conversation) error {
			c.Set("ch", make(chan int))
			return nil
		}), []string{"text:Oops Asha"}, "home", "not JSON-serialisable", "work"},
		{"redirect to an undefined state", "go", handlers.Func(func(_ context.Context, c *handlers.Conversation) error {
			c.Redirect("nowhere")
			return nil
		}), []string{"text:Oops Asha"}, "home", `redirect to undefined state \"nowhere\"`, "work"},
		{"redirect chain too long", "loop", nil, []string{"text:Oops Asha"}, "home", "more than 8 redirects in one move", "ping"},
		{"redirect runs the target's run and send", "bad", nil, []string{"text:queued by away", "text:elsewhere y"}, "elsewhere", "", ""},
		{"success", "go", handlers.Func(func(_ context.Context, c *handlers.Conversation) error {
			c.Send(whatsapp.Text{Body: "queued"})
			return nil
		}), []string{"text:queued", "text:worked"}, "work", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, failFlow, nil, func(r *handlers.Registry) {
				work := tt.work
				if work == nil {
					work = handlers.Func(func(context.Context, *handlers.Conversation) error { return nil })
				}
				r.Register("work", work)
				r.Register("ping", handlers.Func(func(_ context.Context, c *handlers.Conversation) error { c.Redirect("pong"); return nil }))
				r.Register("pong", handlers.Func(func(_ context.Context, c *handlers.Conversation) error { c.Redirect("ping"); return nil }))
				r.Register("away", handlers.Func(func(_ context.Context, c *handlers.Conversation) error {
					c.Set("mark", "y")
					c.Send(whatsapp.Text{Body: "queued by away"})
					c.Redirect("elsewhere")
					return nil
				}))
			})
			h.met = metrics.New()
			h.restart()
			h.text("hi")
			if got := h.text(tt.say); !eq(got, tt.want) {
				t.Fatalf("sent %q, want %q", got, tt.want)
			}
			if got := handlerErrors(t, h.met); got != tt.failed {
				t.Errorf("handler errors counted for %q, want %q", got, tt.failed)
			}
			c := h.conv()
			if c.State != tt.state {
				t.Fatalf("state = %q, want %q", c.State, tt.state)
			}
			if tt.state == "home" && c.Vars["mark"] != nil {
				t.Fatalf("vars changed by a failed handler: %v", c.Vars)
			}
			if tt.log != "" && !strings.Contains(h.logs.String(), tt.log) {
				t.Fatalf("log lacks %q:\n%s", tt.log, h.logs)
			}
			if tt.log != "" && !strings.Contains(h.logs.String(), "handler failed") {
				t.Fatalf("failure not logged with the handler name:\n%s", h.logs)
			}
		})
	}
}

// handlerErrors names the handlers souk_handler_errors_total counts a
// failure of, comma-separated.
func handlerErrors(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	families, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range families {
		if f.GetName() != "souk_handler_errors_total" {
			continue
		}
		for _, s := range f.GetMetric() {
			if s.GetCounter().GetValue() > 0 {
				names = append(names, s.GetLabel()[0].GetValue())
			}
		}
	}
	return strings.Join(names, ",")
}

func TestDefaultErrorText(t *testing.T) {
	flow := strings.Replace(failFlow, "error_text: \"Oops {{.Contact.Name}}\"\n", "", 1)
	h := newHarness(t, flow, nil, func(r *handlers.Registry) {
		r.Register("work", handlers.Func(func(context.Context, *handlers.Conversation) error { return errors.New("no") }))
		for _, n := range []string{"ping", "pong", "away"} {
			r.Register(n, handlers.Func(func(context.Context, *handlers.Conversation) error { return nil }))
		}
	})
	h.text("hi")
	if got := h.text("go"); !eq(got, []string{"text:Sorry, something went wrong on our side. Please try again in a moment."}) {
		t.Fatalf("sent %q", got)
	}
}

const nestedFlow = `flow: t
start: seed
states:
  seed:
    run: seed
    send: [{text: seeded}]
    on: {go: spoil}
  spoil:
    run: spoil
    send: [{text: never}]
`

func TestFailedHandlerCannotChangeNestedVars(t *testing.T) {
	h := newHarness(t, nestedFlow, nil, func(r *handlers.Registry) {
		r.Register("seed", handlers.Func(func(_ context.Context, c *handlers.Conversation) error {
			c.Set("box", map[string]any{"n": 1, "tags": []any{"a"}})
			return nil
		}))
		r.Register("spoil", handlers.Func(func(_ context.Context, c *handlers.Conversation) error {
			box := c.Vars["box"].(map[string]any)
			box["n"] = 99
			box["tags"].([]any)[0] = "z"
			return errors.New("no")
		}))
	})
	h.text("hi")
	h.text("go")
	box, _ := h.conv().Vars["box"].(map[string]any)
	if box["n"] != float64(1) || box["tags"].([]any)[0] != "a" {
		t.Fatalf("a failed handler changed nested vars: %v", box)
	}
}

// TestRedirectBound checks that a move may take exactly MaxRedirects
// redirects, and that one more fails it.
func TestRedirectBound(t *testing.T) {
	var b strings.Builder
	b.WriteString("flow: hops\nstart: home\nerror_text: Oops\nkeywords: {go: s0}\nstates:\n  home:\n    send: [{text: home}]\n")
	for i := 0; i <= MaxRedirects+1; i++ {
		fmt.Fprintf(&b, "  s%d:\n    run: hop\n    send: [{text: s%d}]\n", i, i)
	}
	for _, tt := range []struct {
		redirects int
		want      []string
		state     string
	}{
		{MaxRedirects, []string{fmt.Sprintf("text:s%d", MaxRedirects)}, fmt.Sprintf("s%d", MaxRedirects)},
		{MaxRedirects + 1, []string{"text:Oops"}, "home"},
	} {
		h := newHarness(t, b.String(), nil, func(r *handlers.Registry) {
			r.Register("hop", handlers.Func(func(_ context.Context, c *handlers.Conversation) error {
				var i int
				fmt.Sscanf(c.State, "s%d", &i)
				if i < tt.redirects {
					c.Redirect(fmt.Sprintf("s%d", i+1))
				}
				return nil
			}))
		})
		h.text("hi")
		if got := h.text("go"); !eq(got, tt.want) || h.conv().State != tt.state {
			t.Errorf("%d redirects: sent %q in state %q, want %q in %q", tt.redirects, got, h.conv().State, tt.want, tt.state)
		}
	}
}

// TestHandlerFailureIsNotAMove checks that an event whose handler failed
// says so in its Result and is counted as a handler error, not as a
// transition: the conversation did not move.
func TestHandlerFailureIsNotAMove(t *testing.T) {
	h := newHarness(t, failFlow, nil, func(r *handlers.Registry) {
		r.Register("work", handlers.Func(func(context.Context, *handlers.Conversation) error { return errors.New("down") }))
		for _, n := range []string{"ping", "pong", "away"} {
			r.Register(n, handlers.Func(func(context.Context, *handlers.Conversation) error { return nil }))
		}
	})
	m := metrics.New()
	eng, err := New(Config{Flow: h.flow, Store: h.st, Dispatcher: h.rec, Handlers: h.reg, Metrics: m,
		Logger: slog.New(slog.DiscardHandler), Clock: func() time.Time { return h.now }})
	if err != nil {
		t.Fatal(err)
	}
	h.eng = eng
	h.text("hi")
	res, err := eng.Handle(context.Background(), whatsapp.Event{ID: "wamid.fail", From: h.phone, Kind: whatsapp.KindText, Text: "go", Timestamp: h.now})
	if err != nil || res.HandlerFailed != "work" || res.To != "home" {
		t.Fatalf("Result = %+v, %v; want the handler work named and the conversation at home", res, err)
	}
	families, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != "souk_transitions_total" {
			continue
		}
		for _, s := range f.GetMetric() {
			for _, l := range s.GetLabel() {
				if l.GetName() == "from" && l.GetValue() == "home" {
					t.Errorf("the failed move was counted as a transition: %v", s)
				}
			}
		}
	}
}

// TestFailedStartStartsOverNext checks a start whose handler fails: the
// conversation stays where it was, for a new shopper nowhere and for an
// expired session in its old state with its vars and its idle time, so
// the next message starts over again instead of moving on from a state
// whose handler never ran.
func TestFailedStartStartsOverNext(t *testing.T) {
	const flow = `flow: f
start: a
session_ttl: 1h
states:
  a:
    run: greet
    send: [{text: "a {{.Vars.greeted}}"}]
    on: {go: b}
  b:
    send: [{text: "b {{.Vars.greeted}}"}]
    else: b
`
	h := newHarness(t, flow, nil, func(r *handlers.Registry) {
		r.Register("greet", handlers.Func(func(_ context.Context, c *handlers.Conversation) error {
			if c.Event.Text == "fail" {
				return errors.New("greeting service down")
			}
			c.Set("greeted", "yes")
			return nil
		}))
	})
	if got := h.text("fail"); len(got) != 1 || got[0] == "text:a yes" {
		t.Fatalf("a new shopper's failed start sent %q, want the error text", got)
	}
	if c := h.conv(); c.State != "" {
		t.Fatalf("after a failed start the conversation is in %q, want none", c.State)
	}
	if got := h.text("go"); !eq(got, []string{"text:a yes"}) {
		t.Fatalf("the message after a failed start sent %q, want start entered afresh", got)
	}
	if got := h.text("go"); !eq(got, []string{"text:b yes"}) {
		t.Fatalf("then go sent %q", got)
	}
	h.now = h.now.Add(2 * time.Hour) // the session expires
	if got := h.text("fail"); len(got) != 1 || got[0] == "text:a yes" {
		t.Fatalf("an expired session's failed start sent %q, want the error text", got)
	}
	if c := h.conv(); c.State != "b" || c.Vars["greeted"] != "yes" {
		t.Fatalf("after it: state %q vars %v, want b with its vars", c.State, c.Vars)
	}
	if got := h.text("hello"); !eq(got, []string{"text:a yes"}) {
		t.Fatalf("the next message sent %q, want the session started over at a", got)
	}
}

// TestHandlerSeesKey checks that a handler reads the event's key as `on`
// matches it, the same for a tap and for the word typed in any case, and
// none for a cart.
func TestHandlerSeesKey(t *testing.T) {
	const keyFlow = `flow: t
start: key
states:
  key:
    run: key
    send:
      - text: "key={{.Vars.key}}"
    on: {morning: key}
    order: key
`
	h := newHarness(t, keyFlow, nil, func(r *handlers.Registry) {
		r.Register("key", handlers.Func(func(_ context.Context, c *handlers.Conversation) error {
			c.Set("key", c.Key)
			return nil
		}))
	})
	h.text("hi")
	steps := []struct {
		name string
		ev   whatsapp.Event
		want string
	}{
		{"typed", whatsapp.Event{Kind: whatsapp.KindText, Text: "  MORNING "}, "text:key=morning"},
		{"typed with decoration", whatsapp.Event{Kind: whatsapp.KindText, Text: "Morning!"}, "text:key=morning"},
		{"tapped", whatsapp.Event{Kind: whatsapp.KindButtonReply, ReplyID: "morning", Text: "Morning 8-12"}, "text:key=morning"},
		{"cart", whatsapp.Event{Kind: whatsapp.KindOrder, Order: &whatsapp.Order{Items: []whatsapp.OrderItem{{ID: "p", Quantity: 1}}}}, "text:key="},
	}
	for _, s := range steps {
		if got := h.send(s.ev); !eq(got, []string{s.want}) {
			t.Errorf("%s: sent %q, want %q", s.name, got, s.want)
		}
	}
}

// TestHandlerMessageBreakingALimit checks that a message a handler queues
// that WhatsApp would refuse is logged with the handler's name and not
// sent, and that the rest go out.
func TestHandlerMessageBreakingALimit(t *testing.T) {
	const flow = `flow: t
start: a
states:
  a:
    run: chatty
    send:
      - text: state text
`
	h := newHarness(t, flow, nil, func(r *handlers.Registry) {
		r.Register("chatty", handlers.Func(func(_ context.Context, c *handlers.Conversation) error {
			c.Send(whatsapp.Text{Body: strings.Repeat("x", whatsapp.MaxTextBody+1)})
			c.Send(whatsapp.Text{Body: "fine"})
			return nil
		}))
	})
	want := []string{"text:fine", "text:state text"}
	if got := h.text("hi"); !eq(got, want) {
		t.Fatalf("sent %q, want %q", got, want)
	}
	for _, s := range []string{"level=ERROR", "handler=chatty", "message=1", "longer than 4096"} {
		if !strings.Contains(h.logs.String(), s) {
			t.Errorf("log lacks %q:\n%s", s, h.logs)
		}
	}
}

// TestFailedFlowOrderFromNewSession checks that a cart opening a session
// at the flow's order, whose handler fails, leaves the conversation as a
// failed start does: none for a new shopper, and for an expired session its
// old state, vars and idle time, so that the next message starts over.
func TestFailedFlowOrderFromNewSession(t *testing.T) {
	const flow = `flow: f
start: a
session_ttl: 1h
order: pay
states:
  a:
    send: [{text: a}]
    on: {go: b}
  b:
    run: mark
    send: [{text: b}]
  pay:
    run: pay
    send: [{text: paid}]
`
	h := newHarness(t, flow, nil, func(r *handlers.Registry) {
		r.Register("pay", handlers.Func(func(context.Context, *handlers.Conversation) error {
			return errors.New("till offline")
		}))
		r.Register("mark", handlers.Func(func(_ context.Context, c *handlers.Conversation) error {
			c.Set("k", "v")
			return nil
		}))
	})
	item := whatsapp.OrderItem{ID: "p", Quantity: 1, Price: 1, Currency: "EUR"}
	h.order(item)
	if c := h.conv(); c.State != "" {
		t.Fatalf("after a new shopper's failed order the conversation is in %q, want none", c.State)
	}
	h.text("hi")
	h.text("go")
	active := h.conv().LastActive
	h.now = h.now.Add(2 * time.Hour) // the session expires
	h.order(item)
	if c := h.conv(); c.State != "b" || c.Vars["k"] != "v" || !c.LastActive.Equal(active) {
		t.Fatalf("after an expired session's failed order: state %q vars %v last active %v; want b, its vars, %v",
			c.State, c.Vars, c.LastActive, active)
	}
	if got := h.text("hello"); !eq(got, []string{"text:a"}) {
		t.Fatalf("the next message sent %q, want the session started over at a", got)
	}
}

// TestDroppedCountedWhenALaterHandlerFails checks that a message dropped
// before a redirect is still counted when the next handler fails.
func TestDroppedCountedWhenALaterHandlerFails(t *testing.T) {
	const flow = `flow: t
start: a
states:
  a:
    run: chatty
    send: [{text: a}]
  b:
    run: broken
    send: [{text: b}]
`
	h := newHarness(t, flow, nil, func(r *handlers.Registry) {
		r.Register("chatty", handlers.Func(func(_ context.Context, c *handlers.Conversation) error {
			c.Send(whatsapp.Text{Body: strings.Repeat("x", whatsapp.MaxTextBody+1)})
			c.Redirect("b")
			return nil
		}))
		r.Register("broken", handlers.Func(func(context.Context, *handlers.Conversation) error {
			return errors.New("down")
		}))
	})
	h.seq++
	res, err := h.eng.Handle(context.Background(), whatsapp.Event{Kind: whatsapp.KindText, Text: "hi",
		ID: "wamid.dropped", From: h.phone, Timestamp: h.now})
	if err != nil || res.HandlerFailed != "broken" || res.Dropped != 1 {
		t.Fatalf("Handle = %+v, %v; want broken failed and one message dropped", res, err)
	}
}

// TestCallerGivesUpDuringHandler checks that a move whose caller cancels
// its context while a handler runs commits nothing: the handler did not
// fail, so neither error_text nor a seen message id may be left behind,
// and the same event delivered again moves the conversation.
func TestCallerGivesUpDuringHandler(t *testing.T) {
	ctx, giveUp := context.WithCancel(context.Background())
	runs := 0
	h := newHarness(t, counterFlow, nil, func(r *handlers.Registry) {
		r.Register("count", handlers.Func(func(hctx context.Context, c *handlers.Conversation) error {
			if runs++; runs == 1 {
				giveUp()
				<-hctx.Done()
				return hctx.Err()
			}
			return countHandler(hctx, c)
		}))
	})
	ev := whatsapp.Event{Kind: whatsapp.KindText, Text: "a", ID: "wamid.once", From: h.phone, Timestamp: h.now}
	if _, err := h.eng.Handle(ctx, ev); !errors.Is(err, context.Canceled) {
		t.Fatalf("Handle with the caller gone = %v; want context.Canceled", err)
	}
	if sent := h.rec.take(); len(sent) != 0 {
		t.Fatalf("sent %q for an abandoned move; want nothing", sent)
	}
	if c := h.conv(); c.Exists() {
		t.Fatalf("conversation after an abandoned move = %+v; want none committed", c)
	}
	if _, err := h.eng.Handle(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	if sent := h.rec.take(); !eq(sent, []string{"text:n=1 last=a"}) {
		t.Fatalf("the same event again sent %q; want the move made", sent)
	}
}
