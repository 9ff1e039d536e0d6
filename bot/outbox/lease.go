package outbox

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/store"
)

// A sender holds a shopper's outbox by a lease that each recorded step
// renews. A send lasts at most SendTimeout and starts only while the lease
// has that long left and a quarter of the lease besides, to record the
// send; so no lease runs out mid-send for another sender to send the same
// message. A step the store cannot record at once is tried again while the
// lease lasts, so that a store away for a moment costs no second send
// either.

// Bounds on trying a step again while the store is away.
const (
	recordFirstWait = 50 * time.Millisecond
	recordMaxWait   = 2 * time.Second
)

// expiring reports whether a lease last renewed at renewed has too little
// left for one more send and the step that records it.
func (r *Runner) expiring(renewed time.Time) bool {
	return r.cfg.Clock().Sub(renewed)+r.cfg.SendTimeout+r.cfg.Lease/4 > r.cfg.Lease
}

// sendInTurn waits for one of the Config.Sends sends in flight, then
// sends out, the message of entry m, within SendTimeout. It sends nothing
// and reports false when the runner stops first, or when the lease, last
// renewed at renewed, has too little left by then: the caller hands the
// outbox back. A message whose SendBy has passed, before its turn or once
// it has it, fails (whatsapp.ErrSendByPassed) without being sent.
func (r *Runner) sendInTurn(ctx context.Context, m store.OutMessage, out whatsapp.Outbound, renewed time.Time) (res kaleyra.Result, sent bool, err error) {
	if err := r.tooLate(m, out); err != nil {
		return kaleyra.Result{}, true, err
	}
	if hook := turnHook.Load(); hook != nil {
		(*hook)(out.To)
	}
	select {
	case r.sending <- struct{}{}:
	case <-r.stop:
		return kaleyra.Result{}, false, nil
	}
	defer func() { <-r.sending }()
	if r.stopping() || r.expiring(renewed) { // select picks at random when both were ready
		return kaleyra.Result{}, false, nil
	}
	if err := r.tooLate(m, out); err != nil { // its window closed while it waited for its turn
		return kaleyra.Result{}, true, err
	}
	r.noteRetry(m, out.Message.Kind())
	res, err = r.send(ctx, out)
	return res, true, err
}

// tooLate is the error of out, the message of entry m, when its SendBy has
// passed: a failure no retry can mend. One queued after its SendBy was
// refused when its move was made, whatever this process's clock says.
func (r *Runner) tooLate(m store.OutMessage, out whatsapp.Outbound) error {
	if out.SendBy.IsZero() || !r.cfg.Clock().After(out.SendBy) && m.Queued.Before(out.SendBy) {
		return nil
	}
	return fmt.Errorf("%w (at %s)", whatsapp.ErrSendByPassed, out.SendBy.UTC().Format(time.RFC3339))
}

// turnHook, set only by tests, is called as a worker is about to wait for
// its turn to send to the number to.
var turnHook atomic.Pointer[func(to string)]

// ErrSenderPanicked is the error of a send whose Sender panicked; the
// message is dead-lettered, since sending it again would panic again, and
// the process goes on.
var ErrSenderPanicked = errors.New("outbox: the sender panicked")

// send sends out, within SendTimeout.
func (r *Runner) send(ctx context.Context, out whatsapp.Outbound) (res kaleyra.Result, err error) {
	ctx, cancel := context.WithTimeout(ctx, r.cfg.SendTimeout)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			masked := whatsapp.HidePhone(fmt.Sprint(p), out.To)
			r.log.Error("outbox: the sender panicked", "id", out.ID, "shopper", whatsapp.MaskPhone(out.To),
				"panic", masked, "stack", string(debug.Stack()))
			res, err = kaleyra.Result{}, fmt.Errorf("%w: %s", ErrSenderPanicked, masked)
		}
	}()
	res, err = r.cfg.Sender.Send(ctx, out)
	if err == nil && res.MessageID == "" {
		r.log.Warn("outbox: the send was accepted without a message_id; its statuses can be matched only by ref",
			"id", out.ID, "shopper", whatsapp.MaskPhone(out.To))
	}
	return res, err
}

// untilRecorded calls record, a step that renews the lease last renewed at
// renewed, until it succeeds, the lease is lost, the lease would run out
// before the next try, the tries are used up, or the runner stops; it
// returns record's last error.
func (r *Runner) untilRecorded(renewed time.Time, record func() error) error {
	wait := recordFirstWait
	tries := int(r.cfg.Lease/recordMaxWait) + 8 // a safety net: the lease ends the tries first
	for i := 1; ; i++ {
		err := record()
		switch {
		case err == nil, errors.Is(err, store.ErrLeaseLost), errors.Is(err, store.ErrAfterRecord), i == tries,
			r.cfg.Clock().Add(wait).Sub(renewed) >= r.cfg.Lease, !r.pause(wait):
			return err
		}
		wait = min(2*wait, recordMaxWait)
	}
}

// pause waits d, or until Stop runs out of time and gives up on the sends
// in progress; false means give up. A graceful stop still lets a step be
// recorded.
func (r *Runner) pause(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-r.sendCtx.Done():
		return false
	case <-t.C:
		return true
	}
}
