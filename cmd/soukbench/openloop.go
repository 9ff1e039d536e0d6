package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// load is one level of a run: n concurrent shoppers, each starting its next
// conversation as soon as the last ends (closed loop), or, when rate is set,
// shoppers arriving on their own at a pace that asks for rate replies/s
// whatever the bot's latency (open loop).
type load struct{ shoppers, rate int }

func (l load) String() string {
	if l.rate > 0 {
		return strconv.Itoa(l.rate) + "/s"
	}
	return strconv.Itoa(l.shoppers)
}

// label names the level in messages.
func (l load) label() string {
	if l.rate > 0 {
		return strconv.Itoa(l.rate) + " replies/s offered"
	}
	return strconv.Itoa(l.shoppers) + " shoppers"
}

// file names the level in a log file name.
func (l load) file() string {
	if l.rate > 0 {
		return "rate" + strconv.Itoa(l.rate)
	}
	return strconv.Itoa(l.shoppers)
}

// maxOpen bounds the conversations in flight in an open-loop level; an
// arrival beyond it is not played but counted as shed: the bot has fallen
// that far behind.
const maxOpen = 2048

// playOpen starts one conversation per arrival, arrivals spaced at random
// (exponentially, as independent shoppers arrive) so that they ask for
// rate replies/s on average, until the duration or the conversation
// budget is spent; each shopper plays the script answering each reply at
// once. Arrivals stop when ctx ends.
func playOpen(ctx context.Context, cfg config, bot string, rate int, hook string, fake *fakeKaleyra) result {
	hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: maxOpen, MaxIdleConnsPerHost: maxOpen, IdleConnTimeout: time.Minute, DisableCompression: true}}
	defer hc.CloseIdleConnections()
	run := rand.IntN(900) + 100
	meanGap := time.Duration(float64(time.Second) * float64(len(script)) / float64(rate))
	slots := make(chan struct{}, maxOpen)
	var (
		mu      sync.Mutex
		tallies []tally
		shed    int
		wg      sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(cfg.duration)
	next := start
	for c := 0; c < cfg.maxConvs; c++ {
		next = next.Add(time.Duration(rand.ExpFloat64() * float64(meanGap)))
		if !next.Before(deadline) {
			break
		}
		if !pace(ctx, next) {
			break
		}
		select {
		case slots <- struct{}{}:
		default:
			shed++
			continue
		}
		phone := "91" + strconv.Itoa(run) + fmt.Sprintf("%08d", c)
		wg.Go(func() {
			defer func() { <-slots }()
			var t tally
			converse(ctx, hc, hook, fake, phone, bot == "reference", &t)
			mu.Lock()
			tallies = append(tallies, t)
			mu.Unlock()
		})
	}
	wg.Wait()
	res := tallied(bot, load{rate: rate}, time.Since(start), tallies, fake)
	res.shed = shed
	return res
}

// pace waits until the next arrival is due, and reports false if ctx ends
// first. It paces arrivals; it does not wait for a result.
func pace(ctx context.Context, at time.Time) bool {
	t := time.NewTimer(time.Until(at))
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
