package store

import (
	"context"
	"fmt"
	"sync"

	"github.com/redis/go-redis/v9"
)

// maxBatch bounds the commands one pipeline carries.
const maxBatch = 64

// maxInFlight bounds the pipelines on their way at once. With one, Redis
// waits while this process reads an answer and writes the next pipeline,
// and this process waits while Redis runs it; two let each work while the
// other does.
const maxInFlight = 2

// batcher sends the commands of many goroutines to Redis in shared
// pipelines. A caller that finds fewer than maxInFlight pipelines on their
// way sends its own commands at once; callers that arrive while that many
// are on their way queue, and when one returns the oldest of them sends
// the next, carrying the others queued behind it. Under load a round trip
// thus carries many shoppers' steps; alone, a step waits for nothing and
// costs no extra goroutine switch.
type batcher struct {
	rdb     redis.Cmdable
	mu      sync.Mutex
	queue   []*batchReq
	sending int // pipelines on their way
}

type batchReq struct {
	cmds  []redis.Cmder
	done  chan struct{} // closed when the answers are in
	lead  chan struct{} // closed when this caller is to send next, with batch
	batch []*batchReq   // what the caller sends: itself first, set before lead is closed
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
	first := b.sending < maxInFlight
	if first {
		b.sending++
		req.batch = b.take()
	}
	b.mu.Unlock()
	if !first {
		select {
		case <-req.done:
			return
		case <-req.lead:
		}
	}
	b.send(req.batch)
}

// send sends batch as one pipeline, then hands the sending to the oldest
// request still waiting, if any. It does so even if the pipeline panics,
// so that the callers behind never wait forever.
func (b *batcher) send(batch []*batchReq) {
	defer b.handOn()
	b.exec(batch)
}

// handOn gives the next pipeline, of the oldest waiting requests, to the
// first of them to send, or notes that one pipeline fewer is on its way.
func (b *batcher) handOn() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.queue) == 0 {
		b.sending--
		return
	}
	batch := b.take()
	batch[0].batch = batch
	close(batch[0].lead)
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

// run runs script through the batcher, falling back to a plain EVAL
// (which also loads the script) when Redis does not know it yet.
func (b *batcher) run(ctx context.Context, script *redis.Script, keys []string, args ...any) *redis.Cmd {
	cmdArgs := make([]any, 0, 3+len(keys)+len(args))
	cmdArgs = append(cmdArgs, "evalsha", script.Hash(), len(keys))
	for _, k := range keys {
		cmdArgs = append(cmdArgs, k)
	}
	cmd := redis.NewCmd(ctx, append(cmdArgs, args...)...)
	b.do(cmd)
	if redis.HasErrorPrefix(cmd.Err(), "NOSCRIPT") {
		return script.Eval(ctx, b.rdb, keys, args...)
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
