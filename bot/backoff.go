package bot

import (
	"context"
	"math/rand/v2"
	"time"
)

// conflictBackoff waits a random time that grows with try before an event
// that lost a race to a concurrent move of the same conversation is tried
// again, so that a burst of one shopper's messages spreads out instead of
// colliding again at once.
func conflictBackoff(ctx context.Context, try int) error {
	if try == 0 {
		return nil
	}
	limit := min(time.Millisecond<<min(try, 6), 50*time.Millisecond)
	t := time.NewTimer(rand.N(limit) + 100*time.Microsecond)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
