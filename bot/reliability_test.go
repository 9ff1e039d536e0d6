package bot_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/bottest"
	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/kaleyra/kaleyratest"
	"github.com/souk-commerce/souk/bot/outbox"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/handlers"
	"github.com/souk-commerce/souk/store"
	"github.com/souk-commerce/souk/store/storetest"
)

// recordFlow enters "main" on every message; its handler appends the text
// to Vars["seq"] and replies with the same text, so both the final state
// and the replies show the order messages were applied in.
const recordFlow = `flow: record
start: main
states:
  main:
    run: record
    else: main
`

func record(_ context.Context, c *handlers.Conversation) error {
	seq, _ := c.Vars["seq"].([]any)
	c.Set("seq", append(seq, c.Event.Text))
	c.Send(whatsapp.Text{Body: c.Event.Text})
	return nil
}

// cluster is two servers (engine + outbox runner each) on one Redis and
// one fake Kaleyra.
type cluster struct {
	engines []*bot.Engine
	stores  []*store.Redis
	kaleyra *kaleyratest.Listener
}

// backends open n store clients on one Redis under one prefix.
var backends = []struct {
	name string
	open func(t *testing.T, n int) []*store.Redis
}{
	{"miniredis", func(t *testing.T, n int) []*store.Redis { return storetest.MiniredisN(t, n) }},
	{"redis", func(t *testing.T, n int) []*store.Redis {
		return storetest.OpenRedis(t, storetest.RedisURL(t), storetest.Prefix(), n)
	}},
}

// loadRecordFlow loads recordFlow with the record handler registered.
func loadRecordFlow(t *testing.T) (*flows.Flow, *handlers.Registry) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "flow.yaml")
	if err := os.WriteFile(path, []byte(recordFlow), 0o644); err != nil {
		t.Fatal(err)
	}
	reg := handlers.NewRegistry()
	reg.Register("record", handlers.Func(record))
	flow, diags := flows.Load(path, flows.Options{HasHandler: reg.Has})
	if diags.HasErrors() {
		t.Fatalf("flow: %v", diags)
	}
	return flow, reg
}

// newCluster starts an engine and an outbox runner on each store; the
// runners poll the due set every poll.
func newCluster(t *testing.T, stores []*store.Redis, poll time.Duration) *cluster {
	t.Helper()
	flow, reg := loadRecordFlow(t)
	c := &cluster{kaleyra: kaleyratest.Run(t), stores: stores}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, st := range stores {
		client, err := kaleyra.New(kaleyra.Config{APIKey: "k", SID: "SID", Number: "919800011122", BaseURL: c.kaleyra.URL})
		if err != nil {
			t.Fatal(err)
		}
		r, err := outbox.New(outbox.Config{Store: st, Sender: client, Logger: log, Workers: 16, Poll: poll})
		if err != nil {
			t.Fatal(err)
		}
		r.Start()
		t.Cleanup(func() { _ = r.Stop(context.Background()) })
		eng, err := bot.New(bot.Config{Flow: flow, Store: st, Handlers: reg, Logger: log, Outbox: true,
			Dispatcher: r, Statuses: outbox.Statuses{Store: st}})
		if err != nil {
			t.Fatal(err)
		}
		c.engines = append(c.engines, eng)
	}
	return c
}

func textWithID(from, id, body string) whatsapp.Event {
	return whatsapp.Event{Kind: whatsapp.KindText, ID: id, From: from, Text: body, Type: "text", Timestamp: time.Now()}
}

func (c *cluster) seq(t *testing.T, phone string) []string {
	t.Helper()
	conv, err := c.stores[0].Load(context.Background(), phone)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, v := range conv.Vars["seq"].([]any) {
		out = append(out, v.(string))
	}
	return out
}

func (c *cluster) waitReplies(t *testing.T, n int) {
	t.Helper()
	bottest.Eventually(t, fmt.Sprintf("%d replies delivered", n), 20*time.Second, func() bool { return len(c.kaleyra.Accepted()) >= n })
}

func TestDuplicateWebhookMovesOnce(t *testing.T) {
	modes := []struct {
		name                string
		servers, concurrent int
	}{
		{"sequential, one server", 1, 1},
		{"concurrent, one server", 1, 8},
		{"sequential, two servers", 2, 1},
		{"concurrent, two servers", 2, 8},
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			c := newCluster(t, b.open(t, 2), 10*time.Millisecond)
			for i, m := range modes {
				t.Run(m.name, func(t *testing.T) {
					phone := fmt.Sprintf("9198765400%02d", i)
					ev := textWithID(phone, "wamid.dup", "hi")
					var wg sync.WaitGroup
					for g := range m.concurrent {
						wg.Go(func() {
							for s := range m.servers {
								if _, err := c.engines[(g+s)%len(c.engines)].Handle(context.Background(), ev); err != nil {
									t.Error(err)
								}
							}
						})
					}
					wg.Wait()
					if got := c.seq(t, phone); len(got) != 1 {
						t.Fatalf("moves %v, want one", got)
					}
					bottest.Eventually(t, "the first reply", 10*time.Second, func() bool { return len(c.kaleyra.Texts(phone)) > 0 })
					// Give a wrongly queued second reply the chance to show.
					_, _ = c.engines[0].Handle(context.Background(), textWithID(phone, "wamid.after", "after"))
					bottest.Eventually(t, "two replies", 10*time.Second, func() bool { return len(c.kaleyra.Texts(phone)) >= 2 })
					if got := c.kaleyra.Texts(phone); !slices.Equal(got, []string{"hi", "after"}) {
						t.Fatalf("replies %v, want [hi after]", got)
					}
				})
			}
		})
	}
}

// TestManyShoppersTwoServers sends each shopper's messages alternately
// to two servers, so each server's cached conversation is stale every
// other message and the outbox is often held by the other server when a
// move commits. The runners poll the due set only hourly in the second
// mode: every reply must then leave by a hand-over at commit, by the
// holder of the outbox going on to it, or by a wake-up, never by a poll.
func TestManyShoppersTwoServers(t *testing.T) {
	const shoppers, msgs = 50, 20
	for _, poll := range []time.Duration{10 * time.Millisecond, time.Hour} {
		for _, b := range backends {
			t.Run(fmt.Sprintf("%s/poll %s", b.name, poll), func(t *testing.T) {
				c := newCluster(t, b.open(t, 2), poll)
				c.alternate(t, shoppers, msgs)
			})
		}
	}
}

// alternate plays shoppers who each send msgs messages, alternating
// between the cluster's two engines, and checks every reply arrived in
// order and every state applied in order.
func (c *cluster) alternate(t *testing.T, shoppers, msgs int) {
	var wg sync.WaitGroup
	for s := range shoppers {
		wg.Go(func() {
			phone := fmt.Sprintf("9198700%05d", s)
			for i := range msgs {
				ev := textWithID(phone, fmt.Sprintf("wamid.%d.%d", s, i), fmt.Sprintf("m%02d", i))
				if _, err := c.engines[i%2].Handle(context.Background(), ev); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	c.waitReplies(t, shoppers*msgs)
	want := make([]string, msgs)
	for i := range want {
		want[i] = fmt.Sprintf("m%02d", i)
	}
	for s := range shoppers {
		phone := fmt.Sprintf("9198700%05d", s)
		if got := c.kaleyra.Texts(phone); !slices.Equal(got, want) {
			t.Fatalf("shopper %d replies %v, want %v", s, got, want)
		}
		if got := c.seq(t, phone); !slices.Equal(got, want) {
			t.Fatalf("shopper %d state %v, want %v", s, got, want)
		}
	}
}

func TestConcurrentMessagesOfOneShopper(t *testing.T) {
	const msgs = 20
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			c := newCluster(t, b.open(t, 2), 10*time.Millisecond)
			phone := "919876500001"
			var wg sync.WaitGroup
			for i := range msgs {
				wg.Go(func() {
					ev := textWithID(phone, fmt.Sprintf("wamid.burst.%d", i), fmt.Sprintf("b%02d", i))
					if _, err := c.engines[i%2].Handle(context.Background(), ev); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			c.waitReplies(t, msgs)
			seq := c.seq(t, phone)
			if len(seq) != msgs {
				t.Fatalf("applied %d of %d messages: %v", len(seq), msgs, seq)
			}
			if len(slices.Compact(slices.Sorted(slices.Values(seq)))) != msgs {
				t.Fatalf("a message applied twice: %v", seq)
			}
			if got := c.kaleyra.Texts(phone); !slices.Equal(got, seq) {
				t.Fatalf("replies %v differ from the order applied %v", got, seq)
			}
		})
	}
}
