package metrics_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/metrics"
	"github.com/souk-commerce/souk/store"
	"github.com/souk-commerce/souk/store/storetest"
)

// TestHandoffGauges checks that the handoff gauges count the shoppers
// waiting for a person at scrape time, and how long the first has waited,
// leaving out one resumed since.
func TestHandoffGauges(t *testing.T) {
	st := storetest.Miniredis(t)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	m := metrics.New()
	m.WatchHandoffs(st, func() time.Time { return now })
	if out := scrape(t, m); !strings.Contains(out, "souk_handoffs_waiting 0\n") || !strings.Contains(out, "souk_handoff_oldest_wait_seconds 0\n") {
		t.Fatalf("with nobody waiting:\n%s", grepHandoff(out))
	}
	ctx := context.Background()
	for i, phone := range []string{"919800000001", "919800000002", "919800000003"} {
		c := store.Conversation{Phone: phone, State: "human", LastActive: now, HandoffAt: now.Add(time.Duration(i-3) * time.Minute)}
		if err := st.Commit(ctx, store.Commit{Conversation: c, TTL: time.Hour}); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := st.Resume(ctx, "919800000001"); err != nil {
		t.Fatal(err)
	}
	out := scrape(t, m)
	if !strings.Contains(out, "souk_handoffs_waiting 2\n") || !strings.Contains(out, "souk_handoff_oldest_wait_seconds 120\n") {
		t.Fatalf("with two waiting since 2 and 1 minutes:\n%s", grepHandoff(out))
	}
}

// TestHandoffGaugesUnreadable checks that a scrape during which the store
// cannot be read shows no handoff figures rather than false ones.
func TestHandoffGaugesUnreadable(t *testing.T) {
	m := metrics.New()
	m.WatchHandoffs(failingQueue{}, nil)
	if out := scrape(t, m); strings.Contains(out, "souk_handoff") || !strings.Contains(out, "souk_outbox_depth") {
		t.Fatalf("scrape:\n%s", grepHandoff(out))
	}
}

type failingQueue struct{}

func (failingQueue) Waiting(context.Context, int) ([]store.Waiting, error) {
	return nil, errors.New("redis down")
}

func grepHandoff(out string) string {
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "handoff") {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}
