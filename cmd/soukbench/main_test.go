package main

import (
	"context"
	"fmt"
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

// TestSmoke runs a short benchmark of both bots, with concurrent shoppers
// and with shoppers arriving at a set pace, and checks that every shopper
// got exactly its replies: no errors, none lost, none doubled. It asserts
// nothing about timing.
func TestSmoke(t *testing.T) {
	cfg := config{shoppers: []int{4}, rates: []int{150}, duration: 600 * time.Millisecond, maxConvs: 300, rounds: 1,
		redisURL: os.Getenv("REDIS_URL")}
	results, err := bench(context.Background(), cfg, func(result) {})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 4 {
		t.Fatalf("got %d results, want reference and souk at each of two levels", len(results))
	}
	for _, r := range results {
		if r.replies == 0 || r.replies != r.convs*len(script) && r.errors+r.lost == 0 {
			t.Errorf("%s: %d replies for %d conversations", r.bot, r.replies, r.convs)
		}
		if r.errors != 0 || r.lost != 0 || r.dups != 0 || r.stray != 0 || r.shed != 0 {
			t.Errorf("%s at %s: errors %d, lost %d, duplicates %d, stray %d, shed %d (first error: %s)",
				r.bot, r.load.label(), r.errors, r.lost, r.dups, r.stray, r.shed, r.firstErr)
		}
	}
	var b strings.Builder
	report(&b, results)
	if !strings.Contains(b.String(), "| 4 | souk |") || !strings.Contains(b.String(), "| 150/s | souk |") {
		t.Errorf("report lacks the souk row:\n%s", b.String())
	}
	t.Logf("\n%s", b.String())
}

// TestParseLevels checks which levels the flags ask for.
func TestParseLevels(t *testing.T) {
	tests := []struct {
		args            []string
		shoppers, rates string
		bad             bool
	}{
		{args: nil, shoppers: "[1 16 256]", rates: "[]"},
		{args: []string{"-rate", "2000,4000"}, shoppers: "[]", rates: "[2000 4000]"},
		{args: []string{"-shoppers", "8", "-rate", "500"}, shoppers: "[8]", rates: "[500]"},
		{args: []string{"-rate", "0"}, bad: true},
		{args: []string{"-rate", "1000,"}, bad: true},
		{args: []string{"-shoppers", "x"}, bad: true},
		{args: []string{"-max-conversations", "1000000"}, bad: true},
		{args: []string{"-max-conversations", "0"}, bad: true},
		{args: []string{"-server-procs", "-1"}, bad: true},
		{args: []string{"-server-procs", "1"}, shoppers: "[1 16 256]", rates: "[]"},
	}
	for _, tt := range tests {
		cfg, err := parseFlags(tt.args)
		if tt.bad {
			if err == nil {
				t.Errorf("%q: no error", tt.args)
			}
			continue
		}
		if err != nil || fmt.Sprint(cfg.shoppers) != tt.shoppers || fmt.Sprint(cfg.rates) != tt.rates {
			t.Errorf("%q: shoppers %v, rates %v, %v; want %s, %s", tt.args, cfg.shoppers, cfg.rates, err, tt.shoppers, tt.rates)
		}
	}
	if cfg, err := parseFlags([]string{"-server-procs", "1"}); err != nil || cfg.procs != 1 {
		t.Errorf("-server-procs 1: procs %d, %v", cfg.procs, err)
	}
}
