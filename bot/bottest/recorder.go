package bottest

import (
	"context"
	"encoding/json"
	"sync"

	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/kaleyra/kaleyratest"
	"github.com/souk-commerce/souk/bot/whatsapp"
)

// Sent is one message souk sent: the typed message, the request that went
// over the wire, and what the fake Kaleyra answered.
type Sent struct {
	Outbound whatsapp.Outbound
	// Request is the HTTP request the kaleyra.Client made; its Body is the
	// exact JSON Kaleyra would receive.
	Request kaleyratest.Request
	// View holds the fields of Request.Body that tests check.
	View   View
	Result kaleyra.Result
	Err    error
}

// recorder is a kaleyra.Sender that sends through a real client and keeps
// each message with the request it produced. It is safe for concurrent use.
type recorder struct {
	next kaleyra.Sender
	mock *kaleyratest.Server

	mu   sync.Mutex
	sent []Sent
}

// Send implements kaleyra.Sender.
func (r *recorder) Send(ctx context.Context, out whatsapp.Outbound) (kaleyra.Result, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	before := r.mock.Len()
	res, err := r.next.Send(ctx, out)
	s := Sent{Outbound: out, Result: res, Err: err}
	if reqs := r.mock.Requests(); len(reqs) > before {
		s.Request = reqs[before]
		s.View = ViewOf(s.Request.Body)
	}
	r.sent = append(r.sent, s)
	return res, err
}

func (r *recorder) mark() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.sent)
}

func (r *recorder) since(mark int) []Sent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Sent(nil), r.sent[mark:]...)
}

// Reply is what one shopper input caused.
type Reply struct {
	// Result is the engine's account of the (last) event.
	Result bot.Result
	// Err is the engine's error, such as a store failure.
	Err  error
	Sent []Sent
}

// Messages returns the typed messages sent, in order.
func (r Reply) Messages() []whatsapp.Message {
	out := make([]whatsapp.Message, len(r.Sent))
	for i, s := range r.Sent {
		out[i] = s.Outbound.Message
	}
	return out
}

// Kinds returns the kinds of the messages sent, as read from the requests.
func (r Reply) Kinds() []string {
	out := make([]string, len(r.Sent))
	for i, s := range r.Sent {
		out[i] = s.View.Kind
	}
	return out
}

// Views returns the checked fields of every request sent.
func (r Reply) Views() []View {
	out := make([]View, len(r.Sent))
	for i, s := range r.Sent {
		out[i] = s.View
	}
	return out
}

// Bodies returns the exact JSON bodies sent, in order.
func (r Reply) Bodies() []json.RawMessage {
	out := make([]json.RawMessage, len(r.Sent))
	for i, s := range r.Sent {
		out[i] = s.Request.Body
	}
	return out
}
