package store

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Waiting is a shopper handed off to a person and not resumed yet.
type Waiting struct {
	Phone string    `json:"phone"`
	Since time.Time `json:"since"` // when the bot handed them off
	Held  int       `json:"held"`  // messages held for the operator meanwhile
	Last  *Held     `json:"last,omitempty"`
}

// HandoffQueue lists the shoppers waiting for a person. *Redis implements
// it.
type HandoffQueue interface {
	// Waiting returns at most limit shoppers handed off and not resumed,
	// the longest waiting first.
	Waiting(ctx context.Context, limit int) ([]Waiting, error)
}

var _ HandoffQueue = (*Redis)(nil)

// waitingPage is how many shoppers Waiting reads in one round trip.
const waitingPage = 100

// markWaiting adds a handed-off shopper to the handoffs index. It runs
// after the commit that handed them off, and again with each message held
// for them, which repairs a crash between the two.
func (r *Redis) markWaiting(ctx context.Context, c Conversation) error {
	z := redis.Z{Score: float64(c.HandoffAt.UnixMilli()), Member: c.Phone}
	if err := r.rdb.ZAddNX(ctx, r.keys.handoffs(), z).Err(); err != nil {
		return fmt.Errorf("listing the handoff: %w", err)
	}
	return nil
}

// Waiting implements HandoffQueue. The index is checked against each
// conversation: one resumed, deleted or expired leaves the index here.
func (r *Redis) Waiting(ctx context.Context, limit int) ([]Waiting, error) {
	var out []Waiting
	for start := int64(0); len(out) < limit; {
		phones, err := r.rdb.ZRange(ctx, r.keys.handoffs(), start, start+waitingPage-1).Result()
		if err != nil {
			return nil, fmt.Errorf("reading handoffs: %w", err)
		}
		if len(phones) == 0 {
			return out, nil
		}
		convs, err := r.loadAll(ctx, phones)
		if err != nil {
			return nil, err
		}
		var gone []any
		for _, c := range convs {
			if !c.HandedOff() {
				gone = append(gone, c.Phone)
			} else if len(out) < limit {
				out = append(out, waitingOf(c))
			}
		}
		if len(gone) > 0 {
			if err := r.rdb.ZRem(ctx, r.keys.handoffs(), gone...).Err(); err != nil {
				return nil, fmt.Errorf("dropping ended handoffs: %w", err)
			}
		}
		start += int64(len(phones) - len(gone))
	}
	return out, nil
}

// loadAll loads the conversations of phones in one round trip.
func (r *Redis) loadAll(ctx context.Context, phones []string) ([]Conversation, error) {
	cmds := make([]*redis.SliceCmd, len(phones))
	_, err := r.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, phone := range phones {
			cmds[i] = p.HMGet(ctx, r.keys.conv(phone), "v", "d", "g")
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("loading handed-off conversations: %w", err)
	}
	convs := make([]Conversation, len(phones))
	for i, cmd := range cmds {
		if convs[i], err = decodeConversation(phones[i], cmd.Val()); err != nil {
			return nil, err
		}
	}
	return convs, nil
}

func waitingOf(c Conversation) Waiting {
	w := Waiting{Phone: c.Phone, Since: c.HandoffAt, Held: len(c.Held)}
	if len(c.Held) > 0 {
		last := c.Held[len(c.Held)-1]
		w.Last = &last
	}
	return w
}
