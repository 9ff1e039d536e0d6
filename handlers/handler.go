package handlers

import (
	"context"
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

// Handler is Go code run when a conversation enters a state that names it
// with `run:`, before the state's messages are sent. An error leaves the
// conversation where it was. Implementations must be safe for concurrent use.
type Handler interface {
	Handle(ctx context.Context, c *Conversation) error
}

// Func adapts a function to a Handler.
type Func func(ctx context.Context, c *Conversation) error

// Handle calls f.
func (f Func) Handle(ctx context.Context, c *Conversation) error { return f(ctx, c) }

// Conversation is what a handler sees of one shopper's conversation and what
// it may change: vars, extra messages, and the next state.
type Conversation struct {
	Phone string
	Name  string
	// State is the state being entered.
	State string
	// Event is the incoming message that caused the move.
	Event whatsapp.Event
	// Order is the shopper's last cart.
	Order whatsapp.Order
	// Vars persist across messages; values must be JSON-serialisable.
	Vars map[string]any
	Now  time.Time

	messages []whatsapp.Message
	redirect string
}

// Set stores a var for this conversation.
func (c *Conversation) Set(key string, value any) {
	if c.Vars == nil {
		c.Vars = map[string]any{}
	}
	c.Vars[key] = value
}

// Delete removes a var.
func (c *Conversation) Delete(key string) { delete(c.Vars, key) }

// Send queues a message, sent before the state's own messages.
func (c *Conversation) Send(m whatsapp.Message) { c.messages = append(c.messages, m) }

// Redirect moves the conversation on to state once this handler returns;
// that state's own `run` and `send` then happen instead of this state's.
func (c *Conversation) Redirect(state string) { c.redirect = state }

// Queued returns the messages queued with Send.
func (c *Conversation) Queued() []whatsapp.Message { return c.messages }

// Redirected returns the state passed to Redirect, or "".
func (c *Conversation) Redirected() string { return c.redirect }
