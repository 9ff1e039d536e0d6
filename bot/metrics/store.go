package metrics

import (
	"context"
	"errors"
	"time"

	"github.com/souk-commerce/souk/store"
)

// Store wraps a store.Store and times Load, Seen and Commit; every other
// method passes through to the embedded Store.
type Store struct {
	store.Store
	Metrics *Metrics
}

// Load implements store.Store.
func (s Store) Load(ctx context.Context, phone string) (store.Conversation, error) {
	start := time.Now()
	c, err := s.Store.Load(ctx, phone)
	s.Metrics.Store("load", outcomeOf(err), start)
	return c, err
}

// Seen implements store.Store.
func (s Store) Seen(ctx context.Context, phone, id string) (bool, error) {
	start := time.Now()
	seen, err := s.Store.Seen(ctx, phone, id)
	s.Metrics.Store("seen", outcomeOf(err), start)
	return seen, err
}

// Commit implements store.Store.
func (s Store) Commit(ctx context.Context, c store.Commit) error {
	start := time.Now()
	err := s.Store.Commit(ctx, c)
	s.Metrics.Store("commit", outcomeOf(err), start)
	return err
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
	sl, ok := s.Store.(store.SeenLoader)
	if !ok {
		if seen, err := s.Seen(ctx, phone, id); err != nil || seen {
			return store.Conversation{}, seen, err
		}
		c, err := s.Load(ctx, phone)
		return c, false, err
	}
	start := time.Now()
	c, seen, err := sl.SeenLoad(ctx, phone, id)
	s.Metrics.Store("seen_load", outcomeOf(err), start)
	return c, seen, err
}
