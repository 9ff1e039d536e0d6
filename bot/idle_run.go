package bot

import (
	"context"
	"errors"
	"time"

	"github.com/souk-commerce/souk/store"
)

// DefaultIdlePoll is how often RunIdle looks for idle timers that ran out.
const DefaultIdlePoll = time.Second

// idlePage is how many due timers one read of the index returns; a pass
// reads at most idlePages of them, the rest waiting for the next poll.
// idleClaim is how long a process holds a timer it runs: should it die
// meanwhile, the timer is due again then, for another.
const (
	idlePage  = 100
	idlePages = 10
	idleClaim = time.Minute
)

// RunIdle runs, every poll until ctx ends, the idle timers the index says
// have run out (IdlePass). Each `souk serve` process runs it; two running
// the same timer move the conversation once (see Idle). While the store
// fails, it logs that once (and once when it answers again) and waits
// longer between passes (nextIdleWait).
func (e *Engine) RunIdle(ctx context.Context, index store.IdleIndex, poll time.Duration) {
	if poll <= 0 {
		poll = DefaultIdlePoll
	}
	wait, failing := poll, false
	for {
		_, err := e.IdlePass(ctx, index)
		if ctx.Err() != nil {
			return
		}
		switch {
		case err != nil && !failing:
			e.log.Warn("idle timers: store failing; backing off", "err", err)
		case err == nil && failing:
			e.log.Info("idle timers: store answering again")
		}
		failing = err != nil
		wait = nextIdleWait(wait, poll, failing)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// maxIdleBackoff bounds RunIdle's wait between passes while the store fails.
const maxIdleBackoff = 5 * time.Second

// nextIdleWait is RunIdle's wait after a pass: poll while the store
// answers, twice the last wait while it fails, up to maxIdleBackoff (or
// poll, if longer).
func nextIdleWait(last, poll time.Duration, failing bool) time.Duration {
	if !failing {
		return poll
	}
	return min(last*2, max(maxIdleBackoff, poll))
}

// IdlePass runs the idle timers due now, oldest first (runTimer); it
// returns how many moved a conversation. A store error stops the pass,
// leaving the timers for the next.
func (e *Engine) IdlePass(ctx context.Context, index store.IdleIndex) (int, error) {
	moved := 0
	for range idlePages {
		timers, err := index.DueIdle(ctx, e.cfg.Clock(), idlePage)
		if err != nil {
			return moved, err
		}
		for _, t := range timers {
			res, err := e.runTimer(ctx, index, t)
			if err != nil {
				return moved, err
			}
			if res.Moved() {
				moved++
			}
		}
		if len(timers) < idlePage {
			break
		}
	}
	return moved, nil
}

// maxIdleSteps bounds the timers one IdleUntil runs.
const maxIdleSteps = 1000

// IdleUntil runs, oldest first, the idle timers that run out up to end,
// each at its own time: it calls to with a timer's due time, which must
// move the engine's clock there, before running it. It is for a clock that
// moves only when told (souk chat's /wait, bottest's Wait), so that a
// chain of reminders runs as it would in real time. It returns the moves
// made, and leaves the clock where the last timer ran.
func (e *Engine) IdleUntil(ctx context.Context, index store.IdleIndex, end time.Time, to func(time.Time)) ([]Result, error) {
	var moved []Result
	for range maxIdleSteps {
		timers, err := index.DueIdle(ctx, end, 1)
		if err != nil || len(timers) == 0 {
			return moved, err
		}
		t := timers[0]
		if t.Due.After(e.cfg.Clock()) {
			to(t.Due)
		}
		res, err := e.runTimer(ctx, index, t)
		if err != nil {
			return moved, err
		}
		if res.Moved() {
			moved = append(moved, res)
		}
	}
	return moved, nil
}

// runTimer claims t, runs it (Idle) and takes it out of the index, unless
// the move set the shopper's timer again. A timer another process claimed
// first, or that was set again meanwhile, is left alone. One whose
// conversation does not decode is logged and dropped rather than block
// the timers behind it; on any other error it stays claimed, to be run
// again when the claim ends.
func (e *Engine) runTimer(ctx context.Context, index store.IdleIndex, t store.IdleTimer) (Result, error) {
	until := e.cfg.Clock().Add(idleClaim)
	if ok, err := index.ClaimIdle(ctx, t, until); err != nil || !ok {
		return Result{Phone: t.Phone, Ignored: IdleNotDue}, err
	}
	res, err := e.Idle(ctx, t.Phone)
	if errors.Is(err, store.ErrBadConversation) {
		e.log.Error("idle timer dropped: the conversation does not decode", "shopper", MaskPhone(t.Phone), "err", err)
		res, err = Result{Phone: t.Phone, Ignored: IdleOver}, nil
	}
	if err != nil {
		return res, err
	}
	return res, index.DropIdle(ctx, store.IdleTimer{Phone: t.Phone, Due: until})
}
