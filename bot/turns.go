package bot

import (
	"context"
	"sync"
)

// turns lets one event per shopper at a time through Handle in this
// process. Two messages of one shopper handled at once (a double tap, a
// webhook retried while the first delivery is still being handled) would
// otherwise both move the conversation from the same version: one commit
// wins, the other is retried, and a handler on the way may run for a move
// that is then thrown away. In turn, the second move starts from the first
// one's result. Processes sharing a Redis still race; the version check
// keeps that safe, see handlers.Conversation.MoveKey.
type turns struct {
	mu   sync.Mutex
	busy map[string]*turn
}

// turn is one shopper's: a token that the event being handled holds, and
// how many events hold or wait for it.
type turn struct {
	token   chan struct{}
	waiters int
}

// take waits for shopper's turn; the caller must call the returned release
// once done. It gives up with ctx's error.
func (t *turns) take(ctx context.Context, shopper string) (release func(), err error) {
	t.mu.Lock()
	if t.busy == nil {
		t.busy = map[string]*turn{}
	}
	tu := t.busy[shopper]
	if tu == nil {
		tu = &turn{token: make(chan struct{}, 1)}
		t.busy[shopper] = tu
	}
	tu.waiters++
	t.mu.Unlock()
	select {
	case tu.token <- struct{}{}:
		return func() { <-tu.token; t.leave(shopper, tu) }, nil
	case <-ctx.Done():
		t.leave(shopper, tu)
		return nil, ctx.Err()
	}
}

// leave forgets shopper's turn once nobody holds or waits for it.
func (t *turns) leave(shopper string, tu *turn) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if tu.waiters--; tu.waiters == 0 {
		delete(t.busy, shopper)
	}
}
