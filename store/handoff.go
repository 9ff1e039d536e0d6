package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// MaxHeld is how many messages are kept for an operator while a shopper is
// handed off; older ones are dropped.
const MaxHeld = 100

// Handoffs ends handoffs ("talk to a person"). The handoff itself and the
// messages held meanwhile live in the Conversation (HandoffAt, Held), written
// by the engine's atomic commit. *Redis implements it. Implementations are
// safe for concurrent use.
type Handoffs interface {
	// Resume lets the flow answer phone again. It reports whether phone
	// was handed off and returns the messages held meanwhile, oldest
	// first, forgetting them.
	Resume(ctx context.Context, phone string) (bool, []Held, error)
}

// Held is a shopper's message kept while they were handed off.
type Held struct {
	ID   string    `json:"id,omitempty"`
	At   time.Time `json:"at"`
	Kind string    `json:"kind"`
	Text string    `json:"text,omitempty"`
}

var _ Handoffs = (*Redis)(nil)

// maxResumeTries bounds Resume's retries against concurrent moves.
const maxResumeTries = 20

// Resume implements Handoffs: it clears the handoff with a version check,
// keeping the conversation's TTL.
func (r *Redis) Resume(ctx context.Context, phone string) (bool, []Held, error) {
	for range maxResumeTries {
		c, err := r.Load(ctx, phone)
		if err != nil || !c.HandedOff() {
			return false, nil, err
		}
		held := c.Held
		c.HandoffAt, c.Held, c.ResumedAt = time.Time{}, nil, r.cfg.Clock()
		data, err := json.Marshal(c)
		if err != nil {
			return false, nil, fmt.Errorf("encoding conversation: %w", err)
		}
		res, err := rewriteScript.Run(ctx, r.rdb, []string{r.keys.conv(phone)}, c.Version, data, c.gen).Int64()
		if err != nil {
			return false, nil, fmt.Errorf("resuming conversation: %w", err)
		}
		if res > 0 {
			r.cache.forget(phone)
			// Waiting drops a shopper left in the index by a failure here.
			_ = r.rdb.ZRem(ctx, r.keys.handoffs(), phone).Err()
			return true, held, nil
		}
	}
	return false, nil, ErrConflict
}
