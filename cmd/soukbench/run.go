package main

import (
	"context"
	_ "embed"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/souk-commerce/souk/store"
)

//go:embed flow.yaml
var benchFlow []byte

// config bounds one benchmark run.
type config struct {
	shoppers []int         // concurrency levels
	rates    []int         // open-loop levels, in replies/s offered
	duration time.Duration // per level and bot
	maxConvs int           // conversations per level and bot at most
	redisURL string        // empty: souk uses its embedded Redis
	skipRef  bool
	rounds   int
	procs    int    // GOMAXPROCS of both bots' processes; 0: Go's default
	dir      string // temp dir for the flow and child logs
}

// result is one bot at one concurrency level.
type result struct {
	bot      string
	load     load
	convs    int
	replies  int
	wall     time.Duration
	lat      []time.Duration // sorted
	errors   int
	lost     int
	dups     int
	shed     int // open loop: arrivals not played, maxOpen conversations being in flight
	stray    int64
	use      usage
	redisCPU time.Duration // Redis server CPU during the run, when known
	firstErr string
	phone0   string           // one shopper, for the footprint
	keys     []store.KeyUsage // that shopper's Redis keys after its conversation
}

func (r result) rate() float64 { return float64(r.replies) / r.wall.Seconds() }

// runLevel plays one load against one bot ("souk" or "reference"). It
// stops early when ctx ends or the bot's process exits, and deletes the
// keys the level wrote in either case.
func runLevel(ctx context.Context, cfg config, bot string, l load) (result, error) {
	fake, err := startFake()
	if err != nil {
		return result{}, err
	}
	defer fake.close()
	prefix := fmt.Sprintf("soukbench%d", rand.Uint32())
	env := []string{"SOUK_FLOW=" + filepath.Join(cfg.dir, "flow.yaml"), "REDIS_URL=" + cfg.redisURL,
		"SOUK_REDIS_PREFIX=" + prefix, "KALEYRA_API_KEY=bench", "KALEYRA_SID=HXBENCH",
		"KALEYRA_NUMBER=919800011122", "KALEYRA_BASE_URL=" + fake.url}
	if cfg.procs > 0 {
		env = append(env, "GOMAXPROCS="+strconv.Itoa(cfg.procs))
	}
	srv, err := spawn(bot, env, filepath.Join(cfg.dir, fmt.Sprintf("%s-%s.log", bot, l.file())))
	if err != nil {
		return result{}, err
	}
	rs, err := openRedis(cfg.redisURL, prefix)
	if err != nil {
		srv.stop()
		return result{}, err
	}
	cpu0 := redisCPU(rs)
	res := playWhileUp(ctx, cfg, bot, l, srv, fake)
	res.redisCPU = redisCPU(rs) - cpu0
	died := srv.exitedEarly() && ctx.Err() == nil
	res.use, err = srv.stop()
	if died {
		err = fmt.Errorf("%s server exited during the level%s", bot, logTail(srv.log))
	}
	if rs != nil {
		if bot == "souk" && res.phone0 != "" {
			res.keys, _ = rs.Footprint(context.Background(), res.phone0)
		}
		if _, derr := rs.DeleteAll(context.Background()); derr != nil {
			fmt.Fprintf(os.Stderr, "soukbench: deleting the keys under %s: %v\n", prefix, derr)
		}
		rs.Close()
	}
	return res, err
}

// playWhileUp plays the load until it is done, ctx ends or srv exits.
func playWhileUp(ctx context.Context, cfg config, bot string, l load, srv *server, fake *fakeKaleyra) result {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-srv.exited:
			cancel()
		case <-ctx.Done():
		}
	}()
	if l.rate > 0 {
		return playOpen(ctx, cfg, bot, l.rate, srv.hook, fake)
	}
	return play(ctx, cfg, bot, l.shoppers, srv.hook, fake)
}

// play runs n shopper goroutines until the duration or the conversation
// budget is spent, or ctx ends, then checks every shopper got exactly its
// replies.
func play(ctx context.Context, cfg config, bot string, n int, hook string, fake *fakeKaleyra) result {
	hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: n + 8, MaxIdleConnsPerHost: n + 8, IdleConnTimeout: time.Minute, DisableCompression: true}}
	defer hc.CloseIdleConnections()
	run := rand.IntN(900) + 100
	var budget atomic.Int64
	budget.Store(int64(cfg.maxConvs))
	tallies := make([]tally, n)
	start := time.Now()
	deadline := start.Add(cfg.duration)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			for c := 0; ctx.Err() == nil && time.Now().Before(deadline) && budget.Add(-1) >= 0; c++ {
				phone := shopperPhone(run, i, c)
				converse(ctx, hc, hook, fake, phone, bot == "reference", &tallies[i])
			}
		})
	}
	wg.Wait()
	return tallied(bot, load{shoppers: n}, time.Since(start), tallies, fake)
}

// shopperPhone is the number of shopper i's conversation c in run (100 to
// 999): 15 digits, distinct for every i < 10000 and c <= maxConversations.
func shopperPhone(run, i, c int) string {
	return fmt.Sprintf("91%03d%04d%06d", run, i, c)
}

// tallied adds up what the shoppers saw.
func tallied(bot string, l load, wall time.Duration, tallies []tally, fake *fakeKaleyra) result {
	res := result{bot: bot, load: l, wall: wall}
	for i := range tallies {
		res.add(&tallies[i])
	}
	res.dups = countDuplicates(fake, tallies)
	res.stray = fake.stray.Load()
	return res
}

// merge adds round o of the same bot and level into r.
func (r *result) merge(o result) {
	r.bot, r.load = o.bot, o.load
	r.convs += o.convs
	r.replies += o.replies
	r.wall += o.wall
	r.lat = append(r.lat, o.lat...)
	r.errors += o.errors
	r.lost += o.lost
	r.dups += o.dups
	r.shed += o.shed
	r.stray += o.stray
	r.use.cpu += o.use.cpu
	r.use.maxRSS = max(r.use.maxRSS, o.use.maxRSS)
	r.redisCPU += o.redisCPU
	if r.firstErr == "" {
		r.firstErr = o.firstErr
	}
	if r.keys == nil {
		r.phone0, r.keys = o.phone0, o.keys
	}
}

func (r *result) add(t *tally) {
	r.convs += len(t.phones)
	r.replies += t.replies
	r.errors += t.errors
	r.lost += t.lost
	r.lat = append(r.lat, t.latencies...)
	if r.firstErr == "" {
		r.firstErr = t.firstErr
	}
	if len(t.phones) > 0 && r.phone0 == "" {
		r.phone0 = t.phones[0]
	}
}

// countDuplicates gives late replies 200 ms to arrive, then counts
// replies beyond one per scripted step.
func countDuplicates(fake *fakeKaleyra, tallies []tally) int {
	time.Sleep(200 * time.Millisecond) // a window for duplicates, not waiting for an event
	dups := 0
	for _, t := range tallies {
		for _, p := range t.phones {
			dups += max(0, fake.received(p)-len(script))
		}
	}
	return dups
}

func writeFlow(dir string) error {
	return os.WriteFile(filepath.Join(dir, "flow.yaml"), benchFlow, 0o644)
}
