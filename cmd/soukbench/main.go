// Command soukbench is souk's end-to-end benchmark. It starts a fake
// Kaleyra API on loopback, runs `souk serve` (this program re-executed as a
// child process, on REDIS_URL or the embedded Redis) and, in the same run, a
// stateless reference bot, and plays N concurrent shoppers against each
// through hello -> list, tap -> product_list, tap -> product by posting real
// webhook bodies. It reports replies/s, webhook-to-outbound latency as the
// fake API sees it (p50/p90/p99/max), errors, lost and duplicate replies,
// the server's CPU time and peak RSS, and souk's ratio to the reference.
//
//	go run ./cmd/soukbench -shoppers 1,16,256 -duration 10s
//
// Everything runs on 127.0.0.1, bounded by -duration and -max-conversations.
//
// Flags: -shoppers (levels, default 1,16,256), -rate (open-loop levels in
// replies/s asked for: shoppers arrive at random at that pace whatever the
// bot's latency; alone, only these run), -duration (per level and bot),
// -rounds (reference and souk alternate this many times per level),
// -max-conversations (up to 999999), -no-reference (souk only, no
// ratios), and -server-procs (GOMAXPROCS of both bots' servers). Ctrl-C
// or SIGTERM ends the level under way and deletes its keys.
//
// Environment: REDIS_URL is the Redis souk uses (embedded when unset; its
// keys are under their own prefix and deleted afterwards).
// SOUKBENCH_KEEP=1 keeps the working directory (the flow and each server's
// log) and prints its path. SOUKBENCH_PPROF=127.0.0.1:6060 has each server,
// souk and the reference, serve net/http/pprof there (for souk it becomes
// SOUK_DEBUG_ADDR), to profile them under load. SOUKBENCH_CHILD is set by the program on the
// server processes it starts.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	if code, ran := runChild(); ran {
		os.Exit(code)
	}
	os.Exit(benchMain(os.Args[1:]))
}

func benchMain(args []string) int {
	cfg, err := parseFlags(args)
	if err != nil {
		fmt.Fprintf(os.Stderr, "soukbench: %v\n", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	context.AfterFunc(ctx, stop) // a second Ctrl-C ends the program at once
	load0 := loadAvg()
	results, err := bench(ctx, cfg, func(r result) { fmt.Fprintf(os.Stderr, "%s", r.row()) })
	if err != nil {
		fmt.Fprintf(os.Stderr, "soukbench: %v\n", err)
		return 1
	}
	redis := "embedded (miniredis, inside the souk process)"
	if cfg.redisURL != "" {
		redis = "REDIS_URL"
	}
	fmt.Printf("soukbench: %d CPUs (GOMAXPROCS %d, servers' %s), Redis %s, %s per level and bot in %d rounds; load average before %s, after %s\n\n",
		runtime.NumCPU(), runtime.GOMAXPROCS(0), serverProcs(cfg.procs), redis, cfg.duration, cfg.rounds, load0, loadAvg())
	report(os.Stdout, results)
	for _, r := range results {
		if r.errors+r.lost+r.dups+int(r.stray) > 0 {
			return 1
		}
	}
	return 0
}

// serverProcs says what GOMAXPROCS the bots' servers run with.
func serverProcs(procs int) string {
	if procs == 0 {
		return "Go's default"
	}
	return strconv.Itoa(procs)
}

func parseFlags(args []string) (config, error) {
	fs := flag.NewFlagSet("soukbench", flag.ContinueOnError)
	levels := fs.String("shoppers", "1,16,256", "comma-separated concurrent shopper counts (closed loop)")
	rates := fs.String("rate", "", "comma-separated replies/s to offer with shoppers arriving on their own (open loop), after the -shoppers levels")
	cfg := config{redisURL: os.Getenv("REDIS_URL")}
	fs.DurationVar(&cfg.duration, "duration", 10*time.Second, "time per level and bot")
	fs.IntVar(&cfg.maxConvs, "max-conversations", 200000, "conversations per level and bot at most (up to 999999)")
	fs.BoolVar(&cfg.skipRef, "no-reference", false, "skip the reference bot")
	fs.IntVar(&cfg.rounds, "rounds", 3, "alternate reference and souk this many times per level (duration split among them)")
	fs.IntVar(&cfg.procs, "server-procs", 0, "GOMAXPROCS of both bots' server processes (0: Go's default, the CPUs); the load generator keeps its own")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if cfg.procs < 0 {
		return cfg, fmt.Errorf("-server-procs: %d is negative", cfg.procs)
	}
	if cfg.maxConvs < 1 || cfg.maxConvs > maxConversations {
		return cfg, fmt.Errorf("-max-conversations: %d is not a number from 1 to %d", cfg.maxConvs, maxConversations)
	}
	var err error
	if cfg.rates, err = counts("-rate", *rates, 100000); err != nil {
		return cfg, err
	}
	if len(cfg.rates) > 0 && !isSet(fs, "shoppers") {
		return cfg, nil // -rate alone runs only the open-loop levels
	}
	cfg.shoppers, err = counts("-shoppers", *levels, 9999)
	return cfg, err
}

// isSet reports whether the flag was given on the command line.
func isSet(fs *flag.FlagSet, name string) (set bool) {
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// counts parses a comma-separated list of whole numbers from 1 to most;
// an empty list is none.
func counts(name, list string, most int) ([]int, error) {
	var out []int
	for f := range strings.SplitSeq(list, ",") {
		if f = strings.TrimSpace(f); f == "" && list == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 || n > most {
			return nil, fmt.Errorf("%s: %q is not a number from 1 to %d", name, f, most)
		}
		out = append(out, n)
	}
	return out, nil
}

// maxConversations bounds -max-conversations so that every conversation
// of a level has its own phone number (six digits of it count them).
const maxConversations = 999999

// bench runs every level, the reference bot first, then souk; each is
// passed to progress as it completes. When ctx ends it stops the level
// under way, cleans up and returns what finished with ctx's error.
func bench(ctx context.Context, cfg config, progress func(result)) ([]result, error) {
	if err := pingRedis(ctx, cfg.redisURL); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "soukbench")
	if err != nil {
		return nil, err
	}
	if os.Getenv("SOUKBENCH_KEEP") == "" {
		defer os.RemoveAll(dir)
	} else {
		fmt.Fprintf(os.Stderr, "soukbench: keeping %s\n", dir)
	}
	cfg.dir = dir
	if err := writeFlow(dir); err != nil {
		return nil, err
	}
	var loads []load
	for _, n := range cfg.shoppers {
		loads = append(loads, load{shoppers: n})
	}
	for _, r := range cfg.rates {
		loads = append(loads, load{rate: r})
	}
	var results []result
	for _, l := range loads {
		rs, err := level(ctx, cfg, l)
		for _, r := range rs {
			progress(r)
		}
		results = append(results, rs...)
		if err != nil {
			return results, err
		}
	}
	return results, nil
}

// level runs the reference bot and souk in turn, rounds times, each for
// its share of the duration, so that a change in the machine's load hits
// both alike; the rounds of each bot are added up.
func level(ctx context.Context, cfg config, l load) ([]result, error) {
	bots := []string{"reference", "souk"}
	if cfg.skipRef {
		bots = bots[1:]
	}
	rounds := max(cfg.rounds, 1)
	share := cfg
	share.duration = cfg.duration / time.Duration(rounds)
	share.maxConvs = max(cfg.maxConvs/rounds, 1)
	sums := make([]result, len(bots))
	for range rounds {
		for i, bot := range bots {
			r, err := runLevel(ctx, share, bot, l)
			if ctx.Err() != nil {
				return nil, fmt.Errorf("%s at %s: interrupted (%w); its keys are deleted", bot, l.label(), ctx.Err())
			}
			if err != nil {
				return nil, fmt.Errorf("%s at %s: %w", bot, l.label(), err)
			}
			sums[i].merge(r)
		}
	}
	for i := range sums {
		sortDurations(sums[i].lat)
	}
	return sums, nil
}

// loadAvg is the 1-minute load average, or "?".
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "?"
	}
	return f[0]
}
