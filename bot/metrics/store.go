package metrics

import (
	"context"
	"errors"
	"time"

	"github.com/souk-commerce/souk/store"
)

// Store wraps a Redis store and times Load, Seen, SeenLoad and Commit;
// every other method (outbox, handoffs, ...) passes through to the
// embedded store, so the engine still finds them.
type Store struct {
	*store.Redis
	Metrics *Metrics
}

// Load implements store.Store.
func (s Store) Load(ctx context.Context, phone string) (store.Conversation, error) {
	start := time.Now()
	c, err := s.Redis.Load(ctx, phone)
	s.Metrics.Store("load", outcomeOf(err), start)
	return c, err
}

// Seen implements store.Store.
func (s Store) Seen(ctx context.Context, phone, id string) (bool, error) {
	start := time.Now()
	seen, err := s.Redis.Seen(ctx, phone, id)
	s.Metrics.Store("seen", outcomeOf(err), start)
	return seen, err
}

// Commit implements store.Store.
func (s Store) Commit(ctx context.Context, c store.Commit) error {
	start := time.Now()
	err := s.Redis.Commit(ctx, c)
	s.Metrics.Store("commit", outcomeOf(err), start)
	return err
}

// CommitLease implements store.CommitLeaser, timed as a commit.
func (s Store) CommitLease(ctx context.Context, c store.Commit, d time.Duration) (store.Handover, error) {
	start := time.Now()
	h, err := s.Redis.CommitLease(ctx, c, d)
	s.Metrics.Store("commit", outcomeOf(err), start)
	return h, err
}

// outcomeOf names a store result for the outcome label.
func outcomeOf(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, store.ErrConflict):
		return "conflict"
	case errors.Is(err, store.ErrDuplicate):
		return "duplicate"
	}
	return "error"
}

// SeenLoad implements store.SeenLoader: in one round trip when the inner
// Store can, else as Seen then Load.
func (s Store) SeenLoad(ctx context.Context, phone, id string) (store.Conversation, bool, error) {
	start := time.Now()
	c, seen, err := s.Redis.SeenLoad(ctx, phone, id)
	s.Metrics.Store("seen_load", outcomeOf(err), start)
	return c, seen, err
}
