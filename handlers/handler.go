package handlers

import (
	"context"
	"time"

	"github.com/souk-commerce/souk/bot/catalog"
	"github.com/souk-commerce/souk/bot/whatsapp"
)

// Handler is Go code run when a conversation enters a state that names it
// with `run:`, before the state's messages are sent. An error (or a panic,
// or running past its timeout) leaves the conversation where it was, is
// logged with the handler's name, and the shopper gets the flow's
// error_text. Implementations must be safe for concurrent use. A handler
// runs before its move is committed and may run more than once for one
// move; see Conversation.MoveKey for side effects that must happen once.
type Handler interface {
	Handle(ctx context.Context, c *Conversation) error
}

// Func adapts a function to a Handler.
type Func func(ctx context.Context, c *Conversation) error

// Handle calls f.
func (f Func) Handle(ctx context.Context, c *Conversation) error { return f(ctx, c) }

// Conversation is what a handler sees of one shopper's conversation and what
// it may change: vars, extra messages, the next state, and whether a person
// takes over. It belongs to one handler call; do not keep it.
type Conversation struct {
	// Phone is the shopper's number, digits only; for a shopper whose
	// number WhatsApp withholds, their business-scoped user id.
	Phone string
	// Name is the shopper's WhatsApp profile name.
	Name string
	// State is the state being entered; From is the one the conversation
	// was in before this move ("" for a new conversation); Start is the
	// flow's start state.
	State, From, Start string
	// Event is the incoming message that caused the move: its Kind, Text,
	// tapped ReplyID, the cart in Event.Order for an order, the place
	// in Event.Location for a shared location, and the file in
	// Event.Media for a photo, video, audio or document.
	Event whatsapp.Event
	// Key is the `on` or keyword key that chose the move, so that a
	// handler behind `on: {morning: confirm}` reads "morning" whether the
	// shopper tapped the button or typed "Morning!"; for other moves, the
	// tapped id or typed text as keys are compared (trimmed, accents
	// composed, case folded); "" for carts and other kinds.
	Key string
	// Order is the shopper's last cart of this session, priced and named
	// from the flow's product catalogue.
	Order catalog.Order
	// Location is the last place the shopper shared this session; zero
	// until they share one.
	Location whatsapp.Location
	// Media is the last file the shopper sent this session; zero until
	// they send one. Its ID fetches it from Meta's media endpoint, its
	// URL (when the webhook carried one) from Kaleyra's copy.
	Media whatsapp.Media
	// Vars persist across messages and restarts for the life of the
	// session: they are cleared when the conversation starts over (after
	// session_ttl of silence, or for a new shopper). Values must be
	// JSON-serialisable and read back as JSON values (numbers are float64).
	Vars map[string]any
	// Now is the engine's clock at the move.
	Now time.Time
	// MoveKey names the point this move starts from: the conversation's
	// last commit, or for a new conversation the message that opens it.
	// Every attempt at a move from that point has the same MoveKey (a
	// retry after a conflict, a redelivered message, another process
	// handling a double tap at the same time), and at most one of them is
	// committed. A handler whose side effect must happen once per move,
	// such as placing an order or taking a payment, uses it as the
	// idempotency key: a second run with the same key returns what the
	// first one did instead of doing it again. A handler that also runs
	// further on in the same move, after a redirect, sees the same key.
	MoveKey string

	messages []whatsapp.Message
	redirect string
	handoff  bool
	opt      Opt
}

// Opt is a shopper's choice about messages they did not ask for: the
// flow's idle reminders and re-engagement templates (souk send, POST
// /send). Replies to their own messages are sent whatever they chose.
type Opt int

// The choices OptOut and OptIn record.
const (
	OptUnchanged Opt = iota
	OptedOut         // no reminders or re-engagement until they opt in
	OptedIn          // those again
)

// Set stores a var for this conversation.
func (c *Conversation) Set(key string, value any) {
	if c.Vars == nil {
		c.Vars = map[string]any{}
	}
	c.Vars[key] = value
}

// Get returns a var and whether it is set.
func (c *Conversation) Get(key string) (any, bool) {
	v, ok := c.Vars[key]
	return v, ok
}

// Delete removes a var.
func (c *Conversation) Delete(key string) { delete(c.Vars, key) }

// Send queues a message, sent before the state's own messages.
func (c *Conversation) Send(m whatsapp.Message) { c.messages = append(c.messages, m) }

// Redirect moves the conversation on to state once this handler returns;
// that state's own `run` and `send` then happen instead of this state's.
// Chains of redirects are bounded (bot.MaxRedirects).
func (c *Conversation) Redirect(state string) { c.redirect = state }

// Handoff pauses the bot for this shopper once the move is committed: their
// messages are stored and acknowledged but the flow does not answer until
// an operator resumes it (`souk handoff resume PHONE`).
func (c *Conversation) Handoff() { c.handoff = true }

// OptOut records, once the move is committed, that the shopper wants no
// reminders or re-engagement templates. It outlives the conversation:
// it holds until a move calls OptIn.
func (c *Conversation) OptOut() { c.opt = OptedOut }

// OptIn undoes OptOut once the move is committed.
func (c *Conversation) OptIn() { c.opt = OptedIn }

// Opted returns what the last call of OptOut or OptIn recorded.
func (c *Conversation) Opted() Opt { return c.opt }

// Queued returns the messages queued with Send.
func (c *Conversation) Queued() []whatsapp.Message { return c.messages }

// Redirected returns the state passed to Redirect, or "".
func (c *Conversation) Redirected() string { return c.redirect }

// HandedOff reports whether Handoff was called.
func (c *Conversation) HandedOff() bool { return c.handoff }
