package cli

import (
	"runtime/debug"
	"strconv"
)

// DefaultGCPercent is the garbage collector's target that `souk serve`
// sets when GOGC is not set. The server's live heap is small and every
// webhook allocates, so with Go's default of 100 the collector runs many
// times a second; 400 spends about a tenth less CPU per reply for about
// twice the resident memory (measured with cmd/soukbench at 256 shoppers).
const DefaultGCPercent = 400

// tuneGC sets DefaultGCPercent unless the operator chose with GOGC (which
// the Go runtime has then applied already). It returns the percent in
// force, for the start-up log.
func tuneGC(getenv func(string) string) string {
	if v := getenv("GOGC"); v != "" {
		return v
	}
	debug.SetGCPercent(DefaultGCPercent)
	return strconv.Itoa(DefaultGCPercent)
}
