package bot

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/souk-commerce/souk/store"
)

// flakyIndex is an idle index that fails its first fails reads.
type flakyIndex struct {
	store.IdleIndex
	fails int32
	reads atomic.Int32
}

func (f *flakyIndex) DueIdle(context.Context, time.Time, int) ([]store.IdleTimer, error) {
	if f.reads.Add(1) <= f.fails {
		return nil, errors.New("dial tcp 127.0.0.1:6379: connection refused")
	}
	return nil, nil
}

// TestRunIdleBacksOff checks that an outage of the store is logged once,
// and its end once, however many passes fail, where it was logged at
// every pass (once a second by default).
func TestRunIdleBacksOff(t *testing.T) {
	h := newHarness(t, "flow: t\nstart: a\nstates:\n  a:\n    send: [{text: hi}]\n", nil, nil)
	idx := &flakyIndex{fails: 4}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); h.eng.RunIdle(ctx, idx, time.Millisecond) }()
	waitFor(t, "passes after the outage", func() bool { return idx.reads.Load() >= 7 })
	cancel()
	<-done
	logs := h.logs.String()
	if n := strings.Count(logs, "store failing"); n != 1 {
		t.Errorf("outage logged %d times; want once:\n%s", n, logs)
	}
	if n := strings.Count(logs, "store answering again"); n != 1 {
		t.Errorf("recovery logged %d times; want once:\n%s", n, logs)
	}
}

func TestNextIdleWait(t *testing.T) {
	poll := time.Second
	steps := []struct {
		last    time.Duration
		failing bool
		want    time.Duration
	}{
		{poll, false, poll},
		{poll, true, 2 * time.Second},
		{2 * time.Second, true, 4 * time.Second},
		{4 * time.Second, true, 5 * time.Second}, // maxIdleBackoff
		{5 * time.Second, false, poll},
	}
	for _, s := range steps {
		if got := nextIdleWait(s.last, poll, s.failing); got != s.want {
			t.Errorf("after %v, failing %v: %v; want %v", s.last, s.failing, got, s.want)
		}
	}
	if got := nextIdleWait(time.Minute, time.Minute, true); got != time.Minute {
		t.Errorf("a poll longer than the cap: waits %v; want the poll, 1m", got)
	}
}
