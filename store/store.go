package store

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

// Errors callers branch on.
var (
	// ErrConflict means another process moved the conversation since it
	// was loaded; load again and retry.
	ErrConflict = errors.New("store: conversation changed since it was loaded")
	// ErrDuplicate means the message was already applied.
	ErrDuplicate = errors.New("store: message already applied")
)

// DefaultDedupTTL is how long a message id is remembered: the platform
// retries a webhook for up to 7 days.
const DefaultDedupTTL = 7 * 24 * time.Hour

// Conversation is one shopper's persisted state.
type Conversation struct {
	Phone string `json:"-"`
	Name  string `json:"name,omitempty"`
	State string `json:"state"`
	// Vars are set by handlers; values are JSON values.
	Vars map[string]any `json:"vars,omitempty"`
	// Order is the last cart the shopper sent in this session.
	Order whatsapp.Order `json:"order,omitzero"`
	// Location is the last place the shopper shared in this session.
	Location whatsapp.Location `json:"location,omitzero"`
	// Media is the last file the shopper sent in this session.
	Media      whatsapp.Media `json:"media,omitzero"`
	LastActive time.Time      `json:"last_active"`
	// LastInbound is the timestamp of the shopper's latest message, which
	// opens the 24-hour customer-service window.
	LastInbound time.Time `json:"last_inbound,omitzero"`
	// HandoffAt is when the shopper was handed to a person; the flow does
	// not answer until Resume. It is committed with the move that handed
	// off, so a crash cannot lose it.
	HandoffAt time.Time `json:"handoff_at,omitzero"`
	// ResumedAt is when an operator last let the bot answer again; the
	// next move clears it. A message that matches nothing then starts over
	// at the flow's start instead of entering the handoff state again.
	ResumedAt time.Time `json:"resumed_at,omitzero"`
	// IdleAt is when the idle timer of the state the conversation is in
	// runs out (the state's idle.after after entering it), zero when it
	// has none. The store keeps an index of these (IdleIndex).
	IdleAt time.Time `json:"idle_at,omitzero"`
	// Gathered is the typed answer a state's gather holds, its messages
	// so far one per line, until IdleAt; empty when none is held.
	Gathered string `json:"gathered,omitempty"`
	// Answered are the taps the conversation took, the last few, each as
	// a hash of the message tapped on and the row or button id; kept only
	// for a flow with stale_taps: ignore.
	Answered []string `json:"answered,omitempty"`
	// Held are the messages that arrived while handed off, oldest first
	// (the last MaxHeld).
	Held []Held `json:"held,omitempty"`
	// Version counts commits; 0 means the conversation does not exist yet.
	Version int64 `json:"-"`
	// gen tells this conversation from an earlier one of the same shopper
	// that expired or was deleted, whose versions counted from 1 too (see
	// commitScript).
	gen string
}

// HandedOff reports whether the shopper is with a person, not the flow.
func (c Conversation) HandedOff() bool { return !c.HandoffAt.IsZero() }

// Hold keeps m for the operator, dropping the oldest past MaxHeld.
func (c *Conversation) Hold(m Held) {
	c.Held = append(c.Held, m)
	if n := len(c.Held); n > MaxHeld {
		c.Held = append([]Held(nil), c.Held[n-MaxHeld:]...)
	}
}

// Exists reports whether the conversation was found in the store.
func (c Conversation) Exists() bool { return c.Version > 0 }

// Step names the commit c was loaded at, alike in every process that
// loads it: its generation and version. "" for a conversation never
// committed. Only one move from a step can be committed (the version
// check), whichever process makes it.
func (c Conversation) Step() string {
	if c.Version == 0 {
		return ""
	}
	return c.gen + "." + strconv.FormatInt(c.Version, 10)
}

// Commit is one move to save atomically.
type Commit struct {
	Conversation Conversation
	// MessageID, when set, is marked seen in the same step.
	MessageID string
	// TTL is how long the conversation lives without activity.
	TTL time.Duration
	// Outbox holds the replies of the move, queued for the senders in the
	// same atomic step, in the order they are to leave.
	Outbox []OutMessage
	// Opt, when set, records the shopper's choice about messages they did
	// not ask for (OptOuts) in the same step, so that a duplicate or a
	// conflicting move records nothing.
	Opt OptChange
}

// OptChange is a shopper's opt-out or opt-in, as a Commit records it.
type OptChange struct {
	Set bool      // false: no change
	At  time.Time // when they opted out; zero: they opted in again
}

// CommitLeaser is a Store that can hand a shopper's outbox to the caller's
// sender in the same step that fills it, sparing the sender the round trip
// that leases the outbox and reads its head.
type CommitLeaser interface {
	// CommitLease does what Commit does and, when c.Outbox is not empty,
	// the outbox was empty before and no sender holds it, also leases the
	// outbox for d (as Lease does): Token is then the lease's, and the
	// outbox holds exactly c.Outbox, in order. Otherwise the replies wait
	// for a sender as after Commit.
	CommitLease(ctx context.Context, c Commit, d time.Duration) (Handover, error)
}

// Handover is what a CommitLease did with the shopper's outbox.
type Handover struct {
	// Token is set when the commit leased the outbox for the caller.
	Token string
	// Sending is true when another sender held the outbox: it records
	// each send together with reading the next head, so it goes on to the
	// committed replies and no sender need be woken for them.
	Sending bool
}

// Store keeps conversations. Implementations are safe for concurrent use.
type Store interface {
	// Load returns the conversation of phone, or one with Version 0.
	Load(ctx context.Context, phone string) (Conversation, error)
	// Seen reports whether a message id already moved phone's conversation.
	Seen(ctx context.Context, phone, messageID string) (bool, error)
	// Commit saves c.Conversation if its Version is still current and
	// c.MessageID was not seen, returning ErrConflict or ErrDuplicate if not.
	Commit(ctx context.Context, c Commit) error
	// Ping checks the store is reachable.
	Ping(ctx context.Context) error
	Close() error
}
