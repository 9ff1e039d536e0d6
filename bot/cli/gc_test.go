package cli

import (
	"runtime/debug"
	"testing"
)

// TestTuneGC checks that serve sets DefaultGCPercent only when GOGC is
// unset, and says which target is in force.
func TestTuneGC(t *testing.T) {
	prev := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(prev) })
	env := map[string]string{"GOGC": "150"}
	if got := tuneGC(func(k string) string { return env[k] }); got != "150" {
		t.Fatalf("with GOGC=150: tuneGC = %q", got)
	}
	if now := debug.SetGCPercent(100); now != 100 {
		t.Fatalf("with GOGC set, the target became %d", now)
	}
	if got := tuneGC(func(string) string { return "" }); got != "400" {
		t.Fatalf("without GOGC: tuneGC = %q, want 400", got)
	}
	if now := debug.SetGCPercent(100); now != DefaultGCPercent {
		t.Fatalf("without GOGC the target is %d, want %d", now, DefaultGCPercent)
	}
}
