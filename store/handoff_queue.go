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

// waitingPage is how many conversations Waiting loads in one round trip.
const waitingPage = 100

// markWaiting adds a handed-off shopper to the handoffs index on Cluster,
// where commitScript cannot: after the commit that handed them off, and
// again with each message held for them, which repairs a failure between
// the two. The score is the handoff's time, so writing it again changes
// nothing, and a new handoff of a shopper still in the index moves them.
func (r *Redis) markWaiting(ctx context.Context, c Conversation) error {
	z := redis.Z{Score: float64(c.HandoffAt.UnixMilli()), Member: c.Phone}
	if err := r.rdb.ZAdd(ctx, r.keys.handoffs(), z).Err(); err != nil {
		return fmt.Errorf("listing the handoff: %w", err)
	}
	return nil
}

// Waiting implements HandoffQueue. It reads the whole index, which holds
// only the shoppers handed off now and those whose handoff ended since
// the last listing, and checks it against each conversation: one resumed,
// reset or expired leaves the index here.
func (r *Redis) Waiting(ctx context.Context, limit int) ([]Waiting, error) {
	index, err := r.rdb.ZRangeWithScores(ctx, r.keys.handoffs(), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("reading handoffs: %w", err)
	}
	var out []Waiting
	for len(index) > 0 && len(out) < limit {
		page := index[:min(waitingPage, len(index))]
		index = index[len(page):]
		found, err := r.waitingIn(ctx, page, limit-len(out))
		if err != nil {
			return nil, err
		}
		out = append(out, found...)
	}
	return out, nil
}

// waitingIn returns up to limit of the shoppers of page still handed off,
// and drops the others from the index.
func (r *Redis) waitingIn(ctx context.Context, page []redis.Z, limit int) ([]Waiting, error) {
	phones := make([]string, len(page))
	for i, z := range page {
		phones[i], _ = z.Member.(string)
	}
	convs, err := r.loadAll(ctx, phones)
	if err != nil {
		return nil, err
	}
	var out []Waiting
	var ended []any
	for i, c := range convs {
		switch {
		case !c.HandedOff():
			ended = append(ended, phones[i], int64(page[i].Score))
		case len(out) < limit:
			out = append(out, waitingOf(c))
		}
	}
	if len(ended) > 0 {
		if err := dropUnchangedScript.Run(ctx, r.rdb, []string{r.keys.handoffs()}, ended...).Err(); err != nil {
			return nil, fmt.Errorf("dropping ended handoffs: %w", err)
		}
	}
	return out, nil
}

// dropUnchangedScript removes from a sorted set (KEYS[1]; the handoffs or
// the idle index) each member ARGV[i] whose score is still ARGV[i+1], the
// one it had when it was found ended: a shopper handed off again, or whose
// idle timer was set again, meanwhile has a new score and stays.
var dropUnchangedScript = redis.NewScript(`
for i = 1, #ARGV, 2 do
  if tonumber(redis.call('ZSCORE', KEYS[1], ARGV[i])) == tonumber(ARGV[i+1]) then
    redis.call('ZREM', KEYS[1], ARGV[i])
  end
end
return 1
`)

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
