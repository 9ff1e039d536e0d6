package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/souk-commerce/souk/store"
)

// openRedis opens the bench's own prefix on the real Redis, or nil for the
// embedded one (which lives inside the souk child).
func openRedis(url, prefix string) (*store.Redis, error) {
	if url == "" {
		return nil, nil
	}
	rs, _, err := store.Open(url, store.Config{Prefix: prefix})
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	return rs, nil
}

// pingRedis checks that REDIS_URL, when set, answers, so that a wrong one
// stops the run before any level.
func pingRedis(ctx context.Context, url string) error {
	rs, err := openRedis(url, "soukbench")
	if rs == nil || err != nil {
		return err
	}
	defer rs.Close()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := rs.Ping(ctx); err != nil {
		return fmt.Errorf("REDIS_URL does not answer: %w", err)
	}
	return nil
}

// redisCPU is the Redis server's user+system CPU so far, or 0.
func redisCPU(rs *store.Redis) time.Duration {
	if rs == nil {
		return 0
	}
	cpu, _ := rs.ServerCPU(context.Background())
	return cpu
}

func sortDurations(d []time.Duration) { slices.Sort(d) }

// pct returns the p-th percentile of sorted d by nearest rank: the
// smallest value with at least p% of d at or below it.
func pct(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	i := (p*len(d) + 99) / 100
	return d[min(max(i-1, 0), len(d)-1)]
}

func ms(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e6, 'f', 2, 64) }

const header = "| shoppers or rate | bot | conversations | replies | replies/s | p50 ms | p90 ms | p99 ms | max ms | errors | lost | dup | server CPU s | CPU µs/reply | Redis CPU s | peak RSS MiB |\n" +
	"|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"

func (r result) row() string {
	cpuPer := 0.0
	if r.replies > 0 {
		cpuPer = float64(r.use.cpu.Microseconds()) / float64(r.replies)
	}
	return fmt.Sprintf("| %s | %s | %d | %d | %.0f | %s | %s | %s | %s | %d | %d | %d | %.2f | %.0f | %.2f | %.1f |\n",
		r.load, r.bot, r.convs, r.replies, r.rate(), ms(pct(r.lat, 50)), ms(pct(r.lat, 90)), ms(pct(r.lat, 99)),
		ms(pct(r.lat, 100)), r.errors+int(r.stray), r.lost, r.dups, r.use.cpu.Seconds(), cpuPer, r.redisCPU.Seconds(),
		float64(r.use.maxRSS)/(1<<20))
}

// report prints the table, the souk/reference ratios and one shopper's
// Redis footprint.
func report(w io.Writer, results []result) {
	io.WriteString(w, header)
	for _, r := range results {
		io.WriteString(w, r.row())
	}
	fmt.Fprintln(w)
	for _, r := range results {
		ref, ok := find(results, "reference", r.load)
		switch {
		case !ok && r.shed > 0:
			fmt.Fprintf(w, "%s: %s shed %d arrivals with %d conversations in flight\n", r.load.label(), r.bot, r.shed, maxOpen)
		case !ok || r.bot != "souk" || ref.rate() == 0:
		case r.load.rate > 0:
			fmt.Fprintf(w, "%s: souk answers %.0f replies/s with p99 %s ms (reference: %.0f, p99 %s ms); CPU per reply %.1fx%s\n",
				r.load.label(), r.rate(), ms(pct(r.lat, 99)), ref.rate(), ms(pct(ref.lat, 99)),
				ratio(r.use.cpu, r.replies, ref.use.cpu, ref.replies), shedNote(r, ref))
		default:
			fmt.Fprintf(w, "%s: souk answers at %.0f%% of the reference bot's replies/s; CPU per reply %.1fx\n",
				r.load.label(), 100*r.rate()/ref.rate(), ratio(r.use.cpu, r.replies, ref.use.cpu, ref.replies))
		}
	}
	for _, r := range results {
		if len(r.keys) > 0 {
			printFootprint(w, r.keys)
			break
		}
	}
	for _, r := range results {
		if r.firstErr != "" {
			fmt.Fprintf(w, "%s at %s, first error: %s\n", r.bot, r.load.label(), r.firstErr)
		}
	}
}

// shedNote says how many arrivals either bot left unplayed for being too
// far behind.
func shedNote(souk, ref result) string {
	if souk.shed+ref.shed == 0 {
		return ""
	}
	return fmt.Sprintf("; arrivals shed with %d conversations in flight: souk %d, reference %d", maxOpen, souk.shed, ref.shed)
}

func ratio(a time.Duration, na int, b time.Duration, nb int) float64 {
	if na == 0 || nb == 0 || b == 0 {
		return 0
	}
	return (float64(a) / float64(na)) / (float64(b) / float64(nb))
}

func find(results []result, bot string, l load) (result, bool) {
	for _, r := range results {
		if r.bot == bot && r.load == l {
			return r, true
		}
	}
	return result{}, false
}

func printFootprint(w io.Writer, keys []store.KeyUsage) {
	var total int64
	fmt.Fprintln(w, "\nRedis footprint of one idle conversation after the script (MEMORY USAGE):")
	for _, k := range keys {
		total += k.Bytes
		fmt.Fprintf(w, "  %-60s %5d B  ttl %s\n", maskKey(k.Key), k.Bytes, k.TTL.Round(time.Second))
	}
	fmt.Fprintf(w, "  total %d B\n", total)
}

// maskKey hides the shopper's number in a key name.
func maskKey(k string) string {
	i, j := strings.Index(k, "{"), strings.Index(k, "}")
	if i < 0 || j < i+5 {
		return k
	}
	return k[:i+1] + strings.Repeat("*", j-i-5) + k[j-4:]
}
