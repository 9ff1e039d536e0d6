package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// ErrBadConversation wraps the error of a stored conversation that does
// not decode.
var ErrBadConversation = errors.New("store: conversation does not decode")

// IdleTimer is a shopper whose idle timer is due, as the index has it.
type IdleTimer struct {
	Phone string
	Due   time.Time
}

// IdleIndex finds the shoppers whose state's idle timer has run out. The
// index only points: the conversation's IdleAt decides, so an entry left
// behind by a conversation that moved on, or a timer written twice, does
// no harm. *Redis implements it.
type IdleIndex interface {
	// DueIdle returns at most limit timers due at now, the oldest first.
	DueIdle(ctx context.Context, now time.Time, limit int) ([]IdleTimer, error)
	// ClaimIdle takes t for this process until until: it moves the
	// timer's due time there, unless the timer was set again or taken by
	// another process meanwhile (its due time changed), and reports
	// whether it did. A process that dies holding a timer leaves it due
	// again at until, for another to run.
	ClaimIdle(ctx context.Context, t IdleTimer, until time.Time) (bool, error)
	// DropIdle takes t out of the index, unless the shopper's timer was
	// set again meanwhile (its due time changed).
	DropIdle(ctx context.Context, t IdleTimer) error
}

var _ IdleIndex = (*Redis)(nil)

// markIdle indexes c's idle timer on Cluster, where commitScript cannot.
func (r *Redis) markIdle(ctx context.Context, c Conversation) error {
	z := redis.Z{Score: float64(c.IdleAt.UnixMilli()), Member: c.Phone}
	if err := r.rdb.ZAdd(ctx, r.keys.idle(), z).Err(); err != nil {
		return fmt.Errorf("indexing the idle timer: %w", err)
	}
	return nil
}

// DueIdle implements IdleIndex.
func (r *Redis) DueIdle(ctx context.Context, now time.Time, limit int) ([]IdleTimer, error) {
	zs, err := r.rdb.ZRangeArgsWithScores(ctx, redis.ZRangeArgs{Key: r.keys.idle(), ByScore: true,
		Start: "-inf", Stop: strconv.FormatInt(now.UnixMilli(), 10), Count: int64(limit)}).Result()
	if err != nil {
		return nil, fmt.Errorf("reading idle timers: %w", err)
	}
	out := make([]IdleTimer, 0, len(zs))
	for _, z := range zs {
		if phone, ok := z.Member.(string); ok {
			out = append(out, IdleTimer{Phone: phone, Due: time.UnixMilli(int64(z.Score))})
		}
	}
	return out, nil
}

// ClaimIdle implements IdleIndex.
func (r *Redis) ClaimIdle(ctx context.Context, t IdleTimer, until time.Time) (bool, error) {
	n, err := claimIdleScript.Run(ctx, r.rdb, []string{r.keys.idle()}, t.Phone, t.Due.UnixMilli(), until.UnixMilli()).Int()
	if err != nil {
		return false, fmt.Errorf("claiming an idle timer: %w", err)
	}
	return n == 1, nil
}

// claimIdleScript moves member ARGV[1] of the idle index (KEYS[1]) to score
// ARGV[3] if its score is still ARGV[2]; 1 when it did.
var claimIdleScript = redis.NewScript(`
if tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1])) ~= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return 1
`)

// DropIdle implements IdleIndex.
func (r *Redis) DropIdle(ctx context.Context, t IdleTimer) error {
	err := dropUnchangedScript.Run(ctx, r.rdb, []string{r.keys.idle()}, t.Phone, t.Due.UnixMilli()).Err()
	if err != nil {
		return fmt.Errorf("dropping an idle timer: %w", err)
	}
	return nil
}
