package main

import (
	"os"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary stand in for soukbench's child processes.
func TestMain(m *testing.M) {
	if code, ran := runChild(); ran {
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// TestSmoke runs a short benchmark of both bots and checks that every
// shopper got exactly its replies: no errors, none lost, none doubled. It
// asserts nothing about timing.
func TestSmoke(t *testing.T) {
	cfg := config{shoppers: []int{4}, duration: 600 * time.Millisecond, maxConvs: 300, rounds: 1,
		redisURL: os.Getenv("REDIS_URL")}
	results, err := bench(cfg, func(result) {})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 2 {
		t.Fatalf("got %d results, want reference and souk", len(results))
	}
	for _, r := range results {
		if r.replies == 0 || r.replies != r.convs*len(script) && r.errors+r.lost == 0 {
			t.Errorf("%s: %d replies for %d conversations", r.bot, r.replies, r.convs)
		}
		if r.errors != 0 || r.lost != 0 || r.dups != 0 || r.stray != 0 {
			t.Errorf("%s: errors %d, lost %d, duplicates %d, stray %d (first error: %s)", r.bot, r.errors, r.lost, r.dups, r.stray, r.firstErr)
		}
	}
	var b strings.Builder
	report(&b, results)
	if !strings.Contains(b.String(), "| 4 | souk |") {
		t.Errorf("report lacks the souk row:\n%s", b.String())
	}
	t.Logf("\n%s", b.String())
}
