package store

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// pipelineCounter is a go-redis hook that counts the pipelines sent.
type pipelineCounter struct{ n atomic.Int64 }

func (p *pipelineCounter) DialHook(next redis.DialHook) redis.DialHook { return next }

func (p *pipelineCounter) ProcessHook(next redis.ProcessHook) redis.ProcessHook { return next }

func (p *pipelineCounter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		p.n.Add(1)
		return next(ctx, cmds)
	}
}

// TestBatcherConcurrent has 200 goroutines each increment their own
// counter 50 times through one batcher: every answer must be the caller's
// own, and the commands must have shared pipelines.
func TestBatcherConcurrent(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			st := open(t).st
			if st.batch == nil {
				t.Skip("REDIS_URL names a Cluster, where commands go to several nodes and are not batched")
			}
			var pc pipelineCounter
			st.rdb.AddHook(&pc)
			const callers, each = 200, 50
			var wg sync.WaitGroup
			var wrong atomic.Int64
			for c := range callers {
				wg.Go(func() {
					key := st.keys.prefix + ":batchtest:" + fmt.Sprint(c)
					for i := range each {
						incr := redis.NewIntCmd(context.Background(), "incr", key)
						get := redis.NewStringCmd(context.Background(), "get", key)
						if err := st.pipeline(context.Background(), incr, get); err != nil {
							t.Error(err)
							return
						}
						if incr.Val() != int64(i+1) || get.Val() != fmt.Sprint(i+1) {
							wrong.Add(1)
						}
					}
				})
			}
			wg.Wait()
			if n := wrong.Load(); n != 0 {
				t.Fatalf("%d answers were not the caller's own", n)
			}
			if n := pc.n.Load(); n >= callers*each {
				t.Fatalf("%d pipelines for %d callers' steps: nothing was shared", n, callers*each)
			}
			t.Logf("%d steps in %d pipelines", callers*each, pc.n.Load())
		})
	}
}

// TestBatcherErrorsStayWithTheirCommand checks that a command Redis
// refuses fails alone, not the other commands of its pipeline.
func TestBatcherErrorsStayWithTheirCommand(t *testing.T) {
	st := open1(t)
	ctx := context.Background()
	key := st.keys.prefix + ":batchtest:list"
	if err := st.rdb.RPush(ctx, key, "x").Err(); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 20)
	for i := range errs {
		wg.Go(func() {
			if i%2 == 0 {
				errs[i] = st.pipeline(ctx, redis.NewIntCmd(ctx, "incr", key)) // WRONGTYPE
			} else {
				errs[i] = st.pipeline(ctx, redis.NewIntCmd(ctx, "llen", key))
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if (i%2 == 0) != (err != nil) {
			t.Fatalf("call %d: error %v", i, err)
		}
		if err != nil && !strings.Contains(err.Error(), "WRONGTYPE") {
			t.Fatalf("call %d: error %v, want WRONGTYPE", i, err)
		}
	}
}

// TestBatcherLoadsScripts checks that a script Redis has forgotten
// (restart, SCRIPT FLUSH) runs anyway.
func TestBatcherLoadsScripts(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			st := open(t).st
			ctx := context.Background()
			if err := st.rdb.ScriptFlush(ctx).Err(); err != nil {
				t.Fatal(err)
			}
			key := st.keys.lease("916")
			if err := st.rdb.Set(ctx, key, "tok", 0).Err(); err != nil {
				t.Fatal(err)
			}
			n, err := st.runScript(ctx, releaseScript, []string{key}, "tok").Int64()
			if err != nil || n != 1 {
				t.Fatalf("script after SCRIPT FLUSH = %d, %v; want 1", n, err)
			}
		})
	}
}

// panicOnce is a go-redis hook whose first pipeline panics.
type panicOnce struct{ fired atomic.Bool }

func (p *panicOnce) DialHook(next redis.DialHook) redis.DialHook { return next }

func (p *panicOnce) ProcessHook(next redis.ProcessHook) redis.ProcessHook { return next }

func (p *panicOnce) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		if p.fired.CompareAndSwap(false, true) {
			panic("test: pipeline panics")
		}
		return next(ctx, cmds)
	}
}

// TestBatcherSurvivesPanic checks that a pipeline that panics fails its
// commands, panics in its sender's goroutine only, and leaves the batcher
// working for everyone else.
func TestBatcherSurvivesPanic(t *testing.T) {
	st := open1(t)
	st.rdb.AddHook(&panicOnce{})
	ctx := context.Background()
	key := st.keys.prefix + ":batchtest:panic"
	var wg sync.WaitGroup
	var panicked, failed, ok atomic.Int64
	for range 20 {
		wg.Go(func() {
			defer func() {
				if recover() != nil {
					panicked.Add(1)
				}
			}()
			if err := st.pipeline(ctx, redis.NewIntCmd(ctx, "incr", key)); err != nil {
				failed.Add(1)
			} else {
				ok.Add(1)
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("callers still waiting 10s after a pipeline panicked")
	}
	if panicked.Load() != 1 {
		t.Fatalf("%d callers panicked, want the one that sent the pipeline", panicked.Load())
	}
	n, err := st.rdb.Get(ctx, key).Int64()
	if err != nil && err != redis.Nil {
		t.Fatal(err)
	}
	if n != ok.Load() {
		t.Fatalf("%d increments landed, %d callers were told ok (%d failed)", n, ok.Load(), failed.Load())
	}
	if err := st.pipeline(ctx, redis.NewIntCmd(ctx, "incr", key)); err != nil {
		t.Fatalf("after the panic: %v", err)
	}
}

// inFlight is a go-redis hook that tracks the batcher's pipelines on their
// way at once (not the ones go-redis sends itself on a new connection).
// The first pipeline is held until another one is on its way too, or
// until a deadline.
type inFlight struct {
	cur, max atomic.Int64
	held     atomic.Bool
	overlap  chan struct{}
	once     sync.Once
}

func (p *inFlight) DialHook(next redis.DialHook) redis.DialHook { return next }

func (p *inFlight) ProcessHook(next redis.ProcessHook) redis.ProcessHook { return next }

func (p *inFlight) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		if cmds[0].Name() != "incr" {
			return next(ctx, cmds)
		}
		n := p.cur.Add(1)
		defer p.cur.Add(-1)
		for m := p.max.Load(); n > m && !p.max.CompareAndSwap(m, n); m = p.max.Load() {
		}
		if n > 1 {
			p.once.Do(func() { close(p.overlap) })
		}
		if p.held.CompareAndSwap(false, true) {
			select {
			case <-p.overlap:
			case <-time.After(10 * time.Second):
			}
		}
		return next(ctx, cmds)
	}
}

// TestBatcherPipelinesInFlight checks that a second pipeline goes out
// while the first is on its way, and never more than maxInFlight at once.
func TestBatcherPipelinesInFlight(t *testing.T) {
	st := open1(t)
	hook := &inFlight{overlap: make(chan struct{})}
	st.rdb.AddHook(hook)
	ctx := context.Background()
	var wg sync.WaitGroup
	for c := range 50 {
		wg.Go(func() {
			key := st.keys.prefix + ":batchtest:inflight:" + fmt.Sprint(c)
			for range 20 {
				if err := st.pipeline(ctx, redis.NewIntCmd(ctx, "incr", key)); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	select {
	case <-hook.overlap:
	default:
		t.Fatal("no pipeline went out while the first was on its way")
	}
	if m := hook.max.Load(); m > maxInFlight {
		t.Fatalf("%d pipelines on their way at once, want at most %d", m, maxInFlight)
	}
}
