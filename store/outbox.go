package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// Outbox errors callers branch on.
var (
	// ErrLeaseLost means another sender took the shopper's outbox: the
	// caller must stop working on it.
	ErrLeaseLost = errors.New("store: outbox lease lost")
	// ErrLeased means another sender holds the shopper's outbox now.
	ErrLeased = errors.New("store: outbox leased by another sender")
	// ErrNotFound means no such message or dead letter is known.
	ErrNotFound = errors.New("store: not found")
	// ErrRedriving means another redrive of the same dead letter is under
	// way.
	ErrRedriving = errors.New("store: dead letter being redriven elsewhere")
	// ErrAfterRecord wraps the failure of a step that came after a send
	// was recorded (reading the next head; on Cluster, indexing Kaleyra's
	// message id or settling the due set): the send stands recorded and is
	// not to be tried again.
	ErrAfterRecord = errors.New("store: send recorded, a later step failed")
)

// Defaults for the outbox's keys.
const (
	// DefaultStatusTTL is how long a message's status record is kept.
	DefaultStatusTTL = 7 * 24 * time.Hour
	// DefaultOutboxTTL bounds how long an undelivered outbox lives without
	// a new message; senders drain it long before.
	DefaultOutboxTTL = 7 * 24 * time.Hour
	// MaxDeadLetters is the approximate length the dead-letter stream is
	// trimmed to.
	MaxDeadLetters = 100000
)

// OutMessage is one reply waiting in a shopper's outbox. Payload is opaque
// to the store (bot/outbox encodes the message there).
type OutMessage struct {
	ID      string          `json:"id"`
	Phone   string          `json:"phone"`
	Payload json.RawMessage `json:"payload"`
	// Attempts counts failed sends so far.
	Attempts int `json:"attempts,omitempty"`
	// NextAt is when the next attempt is due; zero means now.
	NextAt    time.Time `json:"next_at,omitzero"`
	LastError string    `json:"last_error,omitempty"`
	Queued    time.Time `json:"queued"`
	// Marshaled says that Payload is what json.Marshal wrote, which the
	// store then queues as it is, without checking it. It is not stored.
	Marshaled bool `json:"-"`
}

// Message statuses. A status never goes back: sent < failed, not sent <
// delivered < read, and dead is final; a late "sent" after "read", or a
// "failed" after "delivered", is ignored.
const (
	StatusQueued    = "queued"
	StatusSent      = "sent"
	StatusDelivered = "delivered"
	StatusRead      = "read"
	StatusFailed    = "failed"
	StatusNotSent   = "not sent"
	StatusDead      = "dead"
)

// MessageStatus is what is known of one outbound message.
type MessageStatus struct {
	ID    string `json:"id"`
	Phone string `json:"phone"`
	// Status is one of the Status* constants.
	Status string `json:"status"`
	// MessageID is Kaleyra's message_id, once sent.
	MessageID string    `json:"message_id,omitempty"`
	Attempts  int       `json:"attempts,omitempty"`
	Error     string    `json:"error,omitempty"`
	Updated   time.Time `json:"updated"`
}

// StatusUpdate is a status callback to apply to a message found by Ref
// (souk's id, echoed in extra_info.ref) or else by MessageID.
type StatusUpdate struct {
	Phone     string // the recipient, when the callback names one
	Ref       string
	MessageID string
	Status    string
	Error     string
	At        time.Time
}

// DeadLetter is a message that could not be delivered.
type DeadLetter struct {
	// StreamID is the entry's id in the dead-letter stream.
	StreamID string
	Message  OutMessage
	Reason   string
	At       time.Time
}

// Outbox is the reliable queue of replies the senders deliver. Every
// method is safe for concurrent use by many processes.
type Outbox interface {
	// Due returns up to n shoppers whose outbox head is due at now.
	Due(ctx context.Context, now time.Time, n int) ([]string, error)
	// Lease takes the shopper's outbox for d, returning a token, or
	// ErrLeased (after pushing the shopper back a little so other senders
	// do not spin on it).
	Lease(ctx context.Context, phone string, d time.Duration) (string, error)
	// Head returns the oldest message of the shopper's outbox.
	Head(ctx context.Context, phone string) (OutMessage, bool, error)
	// Sent removes the head message m and records Kaleyra's message id.
	Sent(ctx context.Context, phone, token string, m OutMessage, messageID string) error
	// IndexRef records which shopper souk's message id belongs to, so that
	// status callbacks without a recipient find it; senders call it before
	// the first attempt.
	IndexRef(ctx context.Context, phone, id string) error
	// Retry replaces the head message with m (its attempts and NextAt).
	Retry(ctx context.Context, phone, token string, m OutMessage) error
	// Dead moves the head message m to the dead-letter stream. It answers
	// ErrLeaseLost when the lease or the head is no longer the caller's,
	// and then adds no letter (on Cluster, a lease lost between the check
	// and the move can leave one: a second letter, never a lost one).
	Dead(ctx context.Context, phone, token string, m OutMessage, reason string) error
	// Release hands the outbox back, marking it due again if not empty.
	Release(ctx context.Context, phone, token string) error
	// DeadLetters lists up to n dead letters, oldest first.
	DeadLetters(ctx context.Context, n int) ([]DeadLetter, error)
	// Redrive queues a dead letter again at the end of its shopper's
	// outbox, with its attempts reset, and removes it from the stream.
	Redrive(ctx context.Context, streamID string) error
	// Status returns the record of souk's message id, found through the
	// ref index when phone is empty.
	Status(ctx context.Context, phone, id string) (MessageStatus, error)
	// StatusByMessageID returns the record of Kaleyra's message id.
	StatusByMessageID(ctx context.Context, messageID string) (MessageStatus, error)
	// UpdateStatus applies a status callback; it reports false when the
	// message is unknown or the status would go back.
	UpdateStatus(ctx context.Context, u StatusUpdate) (bool, error)
	// Sweep marks due every non-empty outbox missing from the due set
	// (needed on Cluster only, after a crash between a commit and its
	// wake-up), returning how many it found.
	Sweep(ctx context.Context) (int, error)
}

var _ Outbox = (*Redis)(nil)
