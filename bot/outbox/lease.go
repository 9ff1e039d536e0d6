package outbox

import (
	"context"
	"errors"
	"time"

	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/store"
)

// A sender holds a shopper's outbox by a lease that each recorded step
// renews. A send starts only while the lease has at least SendTimeout left
// and lasts at most SendTimeout, so that no lease runs out mid-send for
// another sender to send the same message; and a step the store cannot
// record at once is tried again while the lease lasts, so that a store
// away for a moment costs no second send either.

// Bounds on trying a step again while the store is away.
const (
	recordFirstWait = 50 * time.Millisecond
	recordMaxWait   = 2 * time.Second
	recordAttempts  = 64 // a safety net: the lease ends the tries first
)

// expiring reports whether a lease last renewed at renewed has too little
// left for one more send.
func (r *Runner) expiring(renewed time.Time) bool {
	return r.cfg.Clock().Sub(renewed)+r.cfg.SendTimeout > r.cfg.Lease
}

// send sends out, within SendTimeout.
func (r *Runner) send(ctx context.Context, out whatsapp.Outbound) (kaleyra.Result, error) {
	ctx, cancel := context.WithTimeout(ctx, r.cfg.SendTimeout)
	defer cancel()
	return r.cfg.Sender.Send(ctx, out)
}

// untilRecorded calls record, a step that renews the lease last renewed at
// renewed, until it succeeds, the lease is lost, the lease would run out
// before the next try, the tries are used up, or the runner stops; it
// returns record's last error.
func (r *Runner) untilRecorded(renewed time.Time, record func() error) error {
	wait := recordFirstWait
	for i := 1; ; i++ {
		err := record()
		switch {
		case err == nil, errors.Is(err, store.ErrLeaseLost), i == recordAttempts,
			r.cfg.Clock().Add(wait).Sub(renewed) >= r.cfg.Lease, !r.pause(wait):
			return err
		}
		wait = min(2*wait, recordMaxWait)
	}
}

// pause waits d or until the runner stops; false means stop.
func (r *Runner) pause(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-r.stop:
		return false
	case <-t.C:
		return true
	}
}
