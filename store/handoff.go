package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// MaxHeld is how many messages are kept for an operator while a shopper is
// handed off; older ones are dropped.
const MaxHeld = 100

// Handoffs pauses and resumes the bot for one shopper ("talk to a person").
// *Redis implements it. Implementations are safe for concurrent use.
type Handoffs interface {
	// Pause stops the flow answering phone until Resume.
	Pause(ctx context.Context, phone string, at time.Time) error
	// Paused reports whether phone is handed off.
	Paused(ctx context.Context, phone string) (bool, error)
	// Hold keeps a message that arrived while phone was handed off.
	Hold(ctx context.Context, phone string, m Held) error
	// Resume lets the flow answer phone again. It reports whether phone
	// was paused and returns the messages held meanwhile, oldest first,
	// forgetting them.
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

// Pause implements Handoffs. The pause has no expiry.
func (r *Redis) Pause(ctx context.Context, phone string, at time.Time) error {
	if err := r.rdb.Set(ctx, r.keys.handoff(phone), at.UTC().Format(time.RFC3339Nano), 0).Err(); err != nil {
		return fmt.Errorf("pausing conversation: %w", err)
	}
	return nil
}

// Paused implements Handoffs.
func (r *Redis) Paused(ctx context.Context, phone string) (bool, error) {
	n, err := r.rdb.Exists(ctx, r.keys.handoff(phone)).Result()
	if err != nil {
		return false, fmt.Errorf("checking handoff: %w", err)
	}
	return n == 1, nil
}

// Hold implements Handoffs; held messages live as long as message ids are
// remembered (DedupTTL).
func (r *Redis) Hold(ctx context.Context, phone string, m Held) error {
	data, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encoding held message: %w", err)
	}
	k := r.keys.held(phone)
	_, err = r.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.RPush(ctx, k, data)
		p.LTrim(ctx, k, -MaxHeld, -1)
		p.PExpire(ctx, k, r.cfg.DedupTTL)
		return nil
	})
	if err != nil {
		return fmt.Errorf("holding message: %w", err)
	}
	return nil
}

// Resume implements Handoffs.
func (r *Redis) Resume(ctx context.Context, phone string) (bool, []Held, error) {
	var del *redis.IntCmd
	var list *redis.StringSliceCmd
	_, err := r.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		del = p.Del(ctx, r.keys.handoff(phone))
		list = p.LRange(ctx, r.keys.held(phone), 0, -1)
		p.Del(ctx, r.keys.held(phone))
		return nil
	})
	if err != nil {
		return false, nil, fmt.Errorf("resuming conversation: %w", err)
	}
	held := make([]Held, 0, len(list.Val()))
	for _, s := range list.Val() {
		var h Held
		if err := json.Unmarshal([]byte(s), &h); err != nil {
			return true, held, fmt.Errorf("decoding held message: %w", err)
		}
		held = append(held, h)
	}
	return del.Val() == 1, held, nil
}
