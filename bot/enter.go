package bot

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/souk-commerce/souk/bot/catalog"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/handlers"
	"github.com/souk-commerce/souk/store"
)

// MaxRedirects bounds a chain of handler redirects within one move.
const MaxRedirects = 8

// DefaultHandlerTimeout is how long a handler may run when neither it
// (handlers.Timeouter) nor Config.HandlerTimeout says otherwise.
const DefaultHandlerTimeout = 10 * time.Second

// ErrHandlerTimeout is wrapped by the error of a handler that ran past its
// timeout.
var ErrHandlerTimeout = errors.New("handler timed out")

// ErrHandlerPanic is wrapped by the error of a handler that panicked.
var ErrHandlerPanic = errors.New("panicked")

// entered is the outcome of entering a state.
type entered struct {
	conv    store.Conversation
	out     []whatsapp.Outbound
	handoff bool
	opt     handlers.Opt // the shopper's choice a handler recorded last (see Engine.applyOpt)
	failed  string       // the handler that failed, leaving the conversation where it was
	failErr string       // why it failed, the shopper's number masked
	dropped int          // messages not sent: they failed to render or broke a WhatsApp limit
	apology bool         // error_text stands in for what the move would have sent
}

// input is the event that moves a conversation, with the key that chose
// the move (see keyOf).
type input struct {
	ev  whatsapp.Event
	key string
}

// enter moves conv into state: it runs the state's handler (following
// redirects) and renders the messages to send. A failing handler leaves the
// conversation in the state it was in before the move and answers with the
// flow's error_text, as does a move all of whose messages were dropped (see
// outgoing).
func (e *Engine) enter(ctx context.Context, f *flows.Flow, conv store.Conversation, in input, state string) entered {
	before := conv
	var out outgoing
	handoff, opt := false, handlers.OptUnchanged
	for hop := 0; ; hop++ {
		conv.State = state
		st := f.States[state]
		if st.Run != "" {
			hc, err := e.runHandler(ctx, f, st.Run, before.State, conv, in, hop)
			if err != nil {
				en := e.handlerFailed(f, before, conv, st.Run, err)
				en.dropped = out.dropped // of the handlers before a redirect
				return en
			}
			conv.Vars = hc.Vars
			handoff = handoff || hc.HandedOff()
			if o := hc.Opted(); o != handlers.OptUnchanged {
				opt = o
			}
			e.valid(&out, st.Run, conv, hc.Queued())
			if next := hc.Redirected(); next != "" {
				state = next
				continue
			}
		}
		e.render(&out, f, st, conv)
		break
	}
	apology := len(out.msgs) == 0 && out.dropped > 0
	if apology { // rather than leave the shopper in silence
		out.msgs = append(out.msgs, errorText(f, dataOf(f, conv)))
	}
	return entered{conv: conv, out: e.address(f, conv, out.msgs), handoff: handoff, opt: opt, dropped: out.dropped, apology: apology}
}

// handlerFailed logs the failure of handler and keeps the conversation
// where it was (see failed).
func (e *Engine) handlerFailed(f *flows.Flow, before, conv store.Conversation, handler string, err error) entered {
	why := hidePhone(err, conv.Phone)
	e.log.Error("handler failed; conversation stays", "handler", handler, "state", conv.State,
		"shopper", MaskPhone(conv.Phone), "err", why)
	en := e.failed(f, before, conv)
	en.failed, en.failErr = handler, why
	return en
}

// checkRedirect reports a handler's redirect to a state the flow lacks, or
// past MaxRedirects.
func checkRedirect(f *flows.Flow, next string, hop int) error {
	switch {
	case next == "":
		return nil
	case f.States[next] == nil:
		return fmt.Errorf("redirect to undefined state %q", next)
	case hop+1 > MaxRedirects:
		return fmt.Errorf("more than %d redirects in one move", MaxRedirects)
	}
	return nil
}

// failed keeps the conversation where it was and answers with error_text.
func (e *Engine) failed(f *flows.Flow, before, after store.Conversation) entered {
	after.State, after.Vars = before.State, before.Vars
	if f.States[after.State] == nil {
		after.State = f.Start.State
	}
	return entered{conv: after, out: e.address(f, after, []whatsapp.Message{errorText(f, dataOf(f, after))}), apology: true}
}

// runHandler calls the named handler within its timeout, turning a panic
// into an error, and checks what it left (see checkResult); hop counts the
// redirects before it in this move. Whatever fails, the run is counted as
// failed in the metrics.
func (e *Engine) runHandler(ctx context.Context, f *flows.Flow, name, from string, conv store.Conversation, in input, hop int) (*handlers.Conversation, error) {
	h, ok := e.cfg.Handlers.Lookup(name)
	if !ok {
		return nil, fmt.Errorf("handler %q is not registered", name)
	}
	order, _ := catalog.Price(conv.Order, f.Products)
	hc := &handlers.Conversation{Phone: conv.Phone, Name: conv.Name, State: conv.State, From: from, Start: f.Start.State,
		Event: in.ev, Key: in.key, Order: order, Location: conv.Location, Media: conv.Media, Vars: copyVars(conv.Vars), Now: e.cfg.Clock(),
		MoveKey: moveKey(conv, in.ev)}
	start := time.Now()
	err := e.call(ctx, name, h, hc)
	if err == nil {
		err = checkResult(f, name, hc, hop)
	}
	e.cfg.Metrics.HandlerRun(name, start, err, errors.Is(err, ErrHandlerPanic))
	if err != nil {
		return nil, err
	}
	return hc, nil
}

// checkResult checks what a handler left in hc: vars that are JSON values
// (made exactly what a later load will see), and a redirect, if any, to a
// state the flow has, within MaxRedirects.
func checkResult(f *flows.Flow, name string, hc *handlers.Conversation, hop int) error {
	vars, err := jsonVars(hc.Vars)
	if err != nil {
		return fmt.Errorf("handler %q set vars that are not JSON-serialisable: %w", name, err)
	}
	hc.Vars = vars
	return checkRedirect(f, hc.Redirected(), hop)
}

// call runs h on its own goroutine and gives up when its timeout passes;
// the conversation it was given is then discarded.
func (e *Engine) call(ctx context.Context, name string, h handlers.Handler, hc *handlers.Conversation) error {
	d := handlers.TimeoutOf(h)
	if d <= 0 {
		d = e.handlerTimeout()
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	return e.await(ctx, name, h, hc, d)
}

// await runs the handler on its own goroutine until it returns or its
// timeout d passes.
func (e *Engine) await(ctx context.Context, name string, h handlers.Handler, hc *handlers.Conversation, d time.Duration) error {
	done := make(chan error, 1)
	go func() { done <- protect(ctx, name, h, hc) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return fmt.Errorf("handler %q: %w after %s", name, ErrHandlerTimeout, d)
		}
		return fmt.Errorf("handler %q: %w", name, ctx.Err())
	}
}

func (e *Engine) handlerTimeout() time.Duration {
	if e.cfg.HandlerTimeout > 0 {
		return e.cfg.HandlerTimeout
	}
	return DefaultHandlerTimeout
}

// protect calls h, turning a panic into an error with the stack.
func protect(ctx context.Context, name string, h handlers.Handler, hc *handlers.Conversation) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("handler %q %w: %v\n%s", name, ErrHandlerPanic, p, debug.Stack())
		}
	}()
	if err := h.Handle(ctx, hc); err != nil {
		return fmt.Errorf("handler %q: %w", name, err)
	}
	return nil
}

// jsonVars round-trips vars through JSON, so a handler later in the move
// sees exactly what a later message (or another process) will load.
func jsonVars(v map[string]any) (map[string]any, error) {
	if len(v) == 0 {
		return nil, nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	return out, json.Unmarshal(data, &out)
}

// copyVars deep-copies vars (JSON values: maps, lists, scalars), so that a
// handler that fails, or times out and keeps running, cannot change the
// vars the conversation keeps.
func copyVars(v map[string]any) map[string]any {
	out := make(map[string]any, len(v))
	for k, x := range v {
		out[k] = copyValue(x)
	}
	return out
}

func copyValue(x any) any {
	switch x := x.(type) {
	case map[string]any:
		return copyVars(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = copyValue(e)
		}
		return out
	}
	return x
}

// moveKey is handlers.Conversation.MoveKey for a move of conv caused by
// ev: a digest, so that the shopper's number does not show in it.
func moveKey(conv store.Conversation, ev whatsapp.Event) string {
	from := conv.Step()
	if from == "" {
		from = "new " + ev.ID
	}
	sum := sha256.Sum256([]byte(conv.Phone + "\x00" + from))
	return base64.RawURLEncoding.EncodeToString(sum[:12])
}
