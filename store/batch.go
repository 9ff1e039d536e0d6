package store

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"
)

// maxBatch bounds the commands one pipeline carries.
const maxBatch = 64

// batcher sends the commands of many goroutines to Redis in shared
// pipelines. A caller that finds no pipeline on its way sends its own
// commands at once, together with any that queue up meanwhile; callers
// that arrive while a pipeline is on its way queue, and when it returns
// the oldest of them sends the next one. Under load a round trip thus
// carries many shoppers' steps; alone, a step waits for nothing and
// costs no extra goroutine switch.
type batcher struct {
	rdb     redis.Cmdable
	mu      sync.Mutex
	queue   []*batchReq
	sending bool
}

type batchReq struct {
	cmds []redis.Cmder
	done chan struct{} // closed when the answers are in
	lead chan struct{} // closed when this caller is to send the next pipeline
}

func newBatcher(rdb redis.Cmdable) *batcher { return &batcher{rdb: rdb} }

// do sends cmds in the next pipeline and waits for their answers; each
// command carries its own answer or error. Waiting is bounded by the
// client's read and write timeouts, not by ctx: a caller must not leave
// the queue, or the ones behind it would wait for it to send.
func (b *batcher) do(cmds ...redis.Cmder) {
	req := &batchReq{cmds: cmds, done: make(chan struct{}), lead: make(chan struct{})}
	b.mu.Lock()
	b.queue = append(b.queue, req)
	first := !b.sending
	b.sending = true
	b.mu.Unlock()
	if !first {
		select {
		case <-req.done:
			return
		case <-req.lead:
		}
	}
	b.send()
}

// send sends one pipeline of the oldest queued requests (the caller's
// among them: it is at the head of the queue), then hands the sending to
// the oldest request still waiting, if any. It does so even if the
// pipeline panics, so that the callers behind never wait forever.
func (b *batcher) send() {
	b.mu.Lock()
	batch := b.take()
	b.mu.Unlock()
	defer b.handOn()
	b.exec(batch)
}

// handOn wakes the oldest waiting request to send the next pipeline, or
// notes that no pipeline is on its way.
func (b *batcher) handOn() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.queue) > 0 {
		close(b.queue[0].lead)
	} else {
		b.sending = false
	}
}

// take removes up to maxBatch commands' requests from the head of the
// queue (at least one). Callers hold mu.
func (b *batcher) take() []*batchReq {
	n, cmds := 0, 0
	for n < len(b.queue) && (n == 0 || cmds+len(b.queue[n].cmds) <= maxBatch) {
		cmds += len(b.queue[n].cmds)
		n++
	}
	batch := make([]*batchReq, n)
	copy(batch, b.queue)
	b.queue = append(b.queue[:0], b.queue[n:]...)
	return batch
}

// exec sends one pipeline and wakes its callers, with an error on every
// command if the pipeline panics.
func (b *batcher) exec(batch []*batchReq) {
	defer func() {
		p := recover()
		for _, r := range batch {
			if p != nil {
				for _, c := range r.cmds {
					c.SetErr(fmt.Errorf("store: pipeline failed: %v", p))
				}
			}
			close(r.done)
		}
		if p != nil {
			panic(p)
		}
	}()
	pipe := b.rdb.Pipeline()
	for _, r := range batch {
		for _, c := range r.cmds {
			_ = pipe.Process(context.Background(), c)
		}
	}
	_, _ = pipe.Exec(context.Background())
}

// run runs script through the batcher, falling back to the plain client
// (which loads the script) when Redis does not know it yet.
func (b *batcher) run(ctx context.Context, script *redis.Script, keys []string, args ...any) *redis.Cmd {
	cmdArgs := make([]any, 0, 3+len(keys)+len(args))
	cmdArgs = append(cmdArgs, "evalsha", script.Hash(), len(keys))
	for _, k := range keys {
		cmdArgs = append(cmdArgs, k)
	}
	cmd := redis.NewCmd(ctx, append(cmdArgs, args...)...)
	b.do(cmd)
	if err := cmd.Err(); err != nil && strings.HasPrefix(err.Error(), "NOSCRIPT") {
		return script.Run(ctx, b.rdb, keys, args...)
	}
	return cmd
}

// runScript runs script, through the batcher when the store has one.
func (r *Redis) runScript(ctx context.Context, script *redis.Script, keys []string, args ...any) *redis.Cmd {
	if r.batch != nil {
		return r.batch.run(ctx, script, keys, args...)
	}
	return script.Run(ctx, r.rdb, keys, args...)
}

// pipeline sends cmds in one round trip (through the batcher when the
// store has one) and returns the first error among them.
func (r *Redis) pipeline(ctx context.Context, cmds ...redis.Cmder) error {
	if r.batch != nil {
		r.batch.do(cmds...)
	} else {
		pipe := r.rdb.Pipeline()
		for _, c := range cmds {
			_ = pipe.Process(ctx, c)
		}
		_, _ = pipe.Exec(ctx)
	}
	for _, c := range cmds {
		if err := c.Err(); err != nil && err != redis.Nil {
			return err
		}
	}
	return nil
}
