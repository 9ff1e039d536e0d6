package outbox_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/outbox"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/store"
)

// signalSender is an in-process Sender that hands each message to the
// channel of its recipient.
type signalSender struct {
	mu    sync.Mutex
	inbox map[string]chan string
}

func (s *signalSender) Send(_ context.Context, o whatsapp.Outbound) (kaleyra.Result, error) {
	s.mu.Lock()
	ch := s.inbox[o.To]
	s.mu.Unlock()
	ch <- o.ID
	return kaleyra.Result{MessageID: "k-" + o.ID, Status: 202}, nil
}

// BenchmarkCommitToSend measures the delivery side on the Redis of
// REDIS_URL: each of 1, 16 or 256 shoppers commits a move with one reply
// (as the engine does), wakes the runner the way the engine does, and
// waits until the runner has handed the reply to the sender, one message
// in flight per shopper. The runner polls at its default interval, so a
// missed wake-up shows as a 200 ms stall.
func BenchmarkCommitToSend(b *testing.B) {
	for _, shoppers := range []int{1, 16, 256} {
		b.Run(fmt.Sprintf("shoppers=%d", shoppers), func(b *testing.B) { benchCommitToSend(b, shoppers) })
	}
}

func benchCommitToSend(b *testing.B, shoppers int) {
	st := benchStore(b)
	snd := &signalSender{inbox: map[string]chan string{}}
	phones := make([]string, shoppers)
	for i := range phones {
		phones[i] = fmt.Sprintf("9198%08d", i)
		snd.inbox[phones[i]] = make(chan string, 4)
	}
	r, err := outbox.New(outbox.Config{Store: st, Sender: snd, Logger: quiet()})
	if err != nil {
		b.Fatal(err)
	}
	r.Start()
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = r.Stop(ctx)
	}()
	var n atomic.Int64
	var wg sync.WaitGroup
	var lat []time.Duration
	var latMu sync.Mutex
	ctx := context.Background()
	b.ResetTimer()
	for _, phone := range phones {
		wg.Go(func() {
			var mine []time.Duration
			defer func() { latMu.Lock(); lat = append(lat, mine...); latMu.Unlock() }()
			for {
				i := n.Add(1)
				if i > int64(b.N) {
					return
				}
				conv, err := st.Load(ctx, phone)
				if err != nil {
					b.Error(err)
					return
				}
				id := fmt.Sprintf("out-%d", i)
				m, err := outbox.Encode(whatsapp.Outbound{ID: id, To: phone, Message: whatsapp.Text{Body: "hello"}})
				if err != nil {
					b.Error(err)
					return
				}
				conv.State = "s"
				start := time.Now()
				if err := st.Commit(ctx, store.Commit{Conversation: conv, MessageID: fmt.Sprintf("in-%d", i), TTL: time.Hour,
					Outbox: []store.OutMessage{m}}); err != nil {
					b.Error(err)
					return
				}
				_ = r.Dispatch(ctx, []whatsapp.Outbound{{ID: id, To: phone}})
				select {
				case got := <-snd.inbox[phone]:
					if got != id {
						b.Errorf("%s got %s, want %s", phone, got, id)
						return
					}
					mine = append(mine, time.Since(start))
				case <-time.After(10 * time.Second):
					b.Errorf("%s: %s not sent within 10s", phone, id)
					return
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	reportLatency(b, lat)
}

// reportLatency adds p50 and p99 in milliseconds to the benchmark's output.
func reportLatency(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))]) / 1e6 }
	b.ReportMetric(q(0.5), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(q(1), "max-ms")
}

// benchStore opens the Redis of REDIS_URL under a random prefix, deleting
// the prefix's keys afterwards.
func benchStore(b *testing.B) *store.Redis {
	url := os.Getenv("REDIS_URL")
	if url == "" {
		b.Skip("REDIS_URL is not set: the benchmark needs a real Redis")
	}
	var rb [6]byte
	_, _ = rand.Read(rb[:])
	s, _, err := store.Open(url, store.Config{Prefix: "soukbench-" + hex.EncodeToString(rb[:])})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _, _ = s.DeleteAll(context.Background()); s.Close() })
	return s
}
