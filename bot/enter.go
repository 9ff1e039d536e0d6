package bot

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/handlers"
	"github.com/souk-commerce/souk/store"
)

// MaxRedirects bounds a chain of handler redirects within one move.
const MaxRedirects = 8

// enter moves conv into state: it runs the state's handler (following
// redirects) and renders the messages to send. A failing handler leaves the
// conversation in the state it was in before the move and answers with the
// flow's error_text.
func (e *Engine) enter(ctx context.Context, f *flows.Flow, conv store.Conversation, ev whatsapp.Event, state string) (store.Conversation, []whatsapp.Outbound) {
	before := conv
	var msgs []whatsapp.Message
	for hop := 0; ; hop++ {
		conv.State = state
		st := f.States[state]
		if st.Run == "" {
			msgs = append(msgs, e.render(f, st, conv)...)
			break
		}
		hc, err := e.runHandler(ctx, st.Run, conv, ev)
		if err == nil {
			err = checkRedirect(f, hc.Redirected(), hop)
		}
		if err != nil {
			e.log.Error("handler failed; conversation stays", "handler", st.Run, "state", state, "err", err)
			return e.failed(f, before, conv)
		}
		conv.Vars = hc.Vars
		msgs = append(msgs, hc.Queued()...)
		if next := hc.Redirected(); next != "" {
			state = next
			continue
		}
		msgs = append(msgs, e.render(f, st, conv)...)
		break
	}
	return conv, e.address(f, conv.Phone, msgs)
}

func checkRedirect(f *flows.Flow, next string, hop int) error {
	switch {
	case next == "":
		return nil
	case f.States[next] == nil:
		return fmt.Errorf("redirect to undefined state %q", next)
	case hop+1 >= MaxRedirects:
		return fmt.Errorf("more than %d redirects in one move", MaxRedirects)
	}
	return nil
}

// failed keeps the conversation where it was and answers with error_text.
func (e *Engine) failed(f *flows.Flow, before, after store.Conversation) (store.Conversation, []whatsapp.Outbound) {
	after.State, after.Vars = before.State, before.Vars
	if f.States[after.State] == nil {
		after.State = f.Start.State
	}
	body, err := f.ErrorText.Render(dataOf(after))
	if err != nil {
		body = flows.DefaultErrorText
	}
	return after, e.address(f, after.Phone, []whatsapp.Message{whatsapp.Text{Body: body}})
}

// runHandler calls the named handler, turning a panic into an error.
func (e *Engine) runHandler(ctx context.Context, name string, conv store.Conversation, ev whatsapp.Event) (hc *handlers.Conversation, err error) {
	h, ok := e.cfg.Handlers.Lookup(name)
	if !ok {
		return nil, fmt.Errorf("handler %q is not registered", name)
	}
	hc = &handlers.Conversation{Phone: conv.Phone, Name: conv.Name, State: conv.State, Event: ev,
		Order: conv.Order, Vars: copyVars(conv.Vars), Now: e.cfg.Clock()}
	start, panicked := time.Now(), true
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("handler %q panicked: %v\n%s", name, p, debug.Stack())
		}
		e.cfg.Metrics.HandlerRun(name, start, err, panicked && err != nil)
	}()
	err = h.Handle(ctx, hc)
	panicked = false
	return hc, err
}

func copyVars(v map[string]any) map[string]any {
	out := make(map[string]any, len(v))
	for k, x := range v {
		out[k] = x
	}
	return out
}
