package cli

import (
	"context"
	"time"

	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/store"
)

// maxIdleInstants bounds the instants one idleSteps runs timers at.
const maxIdleInstants = 1000

// idleSteps runs the idle timers due by end (see bot.Engine.IdleUntil) an
// instant at a time, calling before ahead of each instant's run and after
// with its moves, so that a caller prints each move beside the messages it
// sent rather than all moves before all messages.
func idleSteps(ctx context.Context, eng *bot.Engine, index store.IdleIndex, end time.Time,
	clock func(time.Time), before func(), after func([]bot.Result)) error {
	for range maxIdleInstants {
		next, err := index.DueIdle(ctx, end, 1)
		if err != nil || len(next) == 0 {
			return err
		}
		before()
		moved, err := eng.IdleUntil(ctx, index, next[0].Due, clock)
		after(moved)
		if err != nil {
			return err
		}
	}
	return nil
}
