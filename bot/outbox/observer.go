package outbox

import (
	"context"
	"time"

	"github.com/souk-commerce/souk/store"
)

// Defaults of the outbox gauges.
const (
	// DefaultStatsEvery is how often a Runner with an Observer reads the
	// outbox's depth and oldest message.
	DefaultStatsEvery = 5 * time.Second
	// StatsLimit bounds how many shoppers' outboxes one reading looks at.
	StatsLimit = 1000
)

// Observer is told what the Runner does, for metrics. *metrics.Metrics
// implements it; so bot/outbox needs no metrics library.
type Observer interface {
	// SendRetry is called before an attempt that repeats a failed one.
	SendRetry(kind string)
	// DeadLetter is called when a message of kind is dead-lettered after
	// an attempt that ended with code (kaleyra.CodeOf).
	DeadLetter(kind, code string)
	// Outbox is called every StatsEvery with the replies waiting in the
	// whole store's outbox and the age of the oldest; depth is -1 when the
	// store could not be read.
	Outbox(depth int, oldest time.Duration)
}

// stats reads the outbox's depth and oldest message and reports them, when
// the Runner has an Observer and its store can tell.
func (r *Runner) stats(ctx context.Context) {
	s, ok := r.cfg.Store.(store.OutboxStatser)
	if r.cfg.Observer == nil || !ok {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	st, err := s.OutboxStats(ctx, StatsLimit)
	if err != nil {
		r.log.Debug("outbox: reading stats failed", "err", err)
		r.cfg.Observer.Outbox(-1, 0)
		return
	}
	var age time.Duration
	if !st.Oldest.IsZero() {
		age = max(r.cfg.Clock().Sub(st.Oldest), 0)
	}
	r.cfg.Observer.Outbox(st.Messages, age)
}
