package store

import (
	"context"
	"fmt"
)

// Deleter is a Store that can forget a conversation, so the shopper starts
// over at the flow's start state. The web simulator's reset uses it.
type Deleter interface {
	// Delete removes phone's conversation and opt-out (OptOuts), as for a
	// new shopper; deleting one that does not exist is not an error.
	// Message ids already seen stay remembered.
	Delete(ctx context.Context, phone string) error
}

var _ Deleter = (*Redis)(nil)

// Delete implements Deleter.
func (r *Redis) Delete(ctx context.Context, phone string) error {
	r.cache.forget(phone)
	if err := r.rdb.Del(ctx, r.keys.conv(phone), r.keys.optOut(phone)).Err(); err != nil {
		return fmt.Errorf("deleting conversation: %w", err)
	}
	// Waiting, and the idle runner, drop a shopper left in an index by a
	// failure here.
	_ = r.rdb.ZRem(ctx, r.keys.handoffs(), phone).Err()
	_ = r.rdb.ZRem(ctx, r.keys.idle(), phone).Err()
	return nil
}
