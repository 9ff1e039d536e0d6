// Package testwait polls a condition until it holds or a deadline passes,
// for tests that wait on work done by other goroutines or processes. It
// imports nothing of souk, so that any package's tests may use it.
package testwait

import (
	"testing"
	"time"
)

// Until polls cond until it holds, failing t after within.
func Until(t testing.TB, what string, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", within, what)
			return
		}
		time.Sleep(5 * time.Millisecond) // polling interval, not a wait for an event
	}
}
