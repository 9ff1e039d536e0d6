package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// OptOuts keeps the shoppers who asked for no messages they did not ask
// for: reminders and re-engagement templates. A shopper's record outlives
// their conversation: it has no expiry and goes when they opt in again.
// *Redis implements it.
type OptOuts interface {
	// SetOptOut records that phone opted out at at or, for a zero at,
	// that they opted in again.
	SetOptOut(ctx context.Context, phone string, at time.Time) error
	// OptedOut returns when phone opted out, zero when they have not.
	OptedOut(ctx context.Context, phone string) (time.Time, error)
}

var _ OptOuts = (*Redis)(nil)

// SetOptOut implements OptOuts.
func (r *Redis) SetOptOut(ctx context.Context, phone string, at time.Time) error {
	var err error
	if at.IsZero() {
		err = r.rdb.Del(ctx, r.keys.optOut(phone)).Err()
	} else {
		err = r.rdb.Set(ctx, r.keys.optOut(phone), at.UnixMilli(), 0).Err()
	}
	if err != nil {
		return fmt.Errorf("recording opt-out: %w", err)
	}
	return nil
}

// OptedOut implements OptOuts.
func (r *Redis) OptedOut(ctx context.Context, phone string) (time.Time, error) {
	s, err := r.rdb.Get(ctx, r.keys.optOut(phone)).Result()
	if errors.Is(err, redis.Nil) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("reading opt-out: %w", err)
	}
	ms, err := strconv.ParseInt(s, 10, 64)
	if err != nil || ms <= 0 {
		// Still a record of the shopper's wish: honour it, from an unknown time.
		return time.UnixMilli(1).UTC(), nil
	}
	return time.UnixMilli(ms).UTC(), nil
}
