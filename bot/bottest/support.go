package bottest

import (
	"bytes"
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/internal/testwait"
)

// Eventually polls cond every few milliseconds until it holds, and fails t
// when it still does not after within; what names the awaited condition in
// the failure. Tests wait for things with it rather than sleeping.
func Eventually(t testing.TB, what string, within time.Duration, cond func() bool) {
	t.Helper()
	testwait.Until(t, what, within, cond)
}

// Buffer is a bytes.Buffer safe for concurrent use: a log sink for an engine
// or a server whose goroutines write while the test reads.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write implements io.Writer.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// String returns everything written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// Reset forgets everything written so far.
func (b *Buffer) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.b.Reset()
}

// Dispatcher is a bot.Dispatcher that keeps every message it is given,
// for tests of the engine without a sender. Its zero value is ready; it is
// safe for concurrent use.
type Dispatcher struct {
	mu  sync.Mutex
	out []whatsapp.Outbound
}

// Dispatch implements bot.Dispatcher.
func (d *Dispatcher) Dispatch(_ context.Context, msgs []whatsapp.Outbound) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.out = append(d.out, msgs...)
	return nil
}

// Len is the number of messages kept.
func (d *Dispatcher) Len() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.out)
}

// Take returns the messages kept and forgets them.
func (d *Dispatcher) Take() []whatsapp.Outbound {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := d.out
	d.out = nil
	return out
}

// Golden compares got with the golden file at path and reports whether
// they match, failing t when they do not. With update (a test binary's
// -update flag) it first writes got to path, so that the run accepts it.
func Golden(t testing.TB, path string, got []byte, update bool) bool {
	t.Helper()
	if update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
		return false
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (go test -update rewrites it)\n--- got\n%s\n--- want\n%s", path, got, want)
		return false
	}
	return true
}
