package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/souk-commerce/souk/store"
)

// commitOut commits one move of phone with replies queued at the given times.
func commitOut(t *testing.T, st *store.Redis, phone, wamid string, queued ...time.Time) {
	t.Helper()
	ctx := context.Background()
	c, err := st.Load(ctx, phone)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.OutMessage
	for i, q := range queued {
		out = append(out, store.OutMessage{ID: wamid + "-" + string(rune('a'+i)), Payload: []byte(`{}`), Queued: q})
	}
	c.State = "s"
	if err := st.Commit(ctx, store.Commit{Conversation: c, MessageID: wamid, TTL: time.Hour, Outbox: out}); err != nil {
		t.Fatal(err)
	}
}

func TestOutboxStats(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for name, st := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			got, err := st.OutboxStats(ctx, 10)
			if err != nil || got != (store.OutboxStats{Exact: true}) {
				t.Fatalf("empty outbox: %+v, %v", got, err)
			}
			commitOut(t, st, "919800000001", "w1", t0.Add(time.Second), t0.Add(2*time.Second))
			commitOut(t, st, "919800000002", "w2", t0)
			commitOut(t, st, "919800000003", "w3", t0.Add(3*time.Second), t0.Add(4*time.Second), t0.Add(5*time.Second))
			tests := []struct {
				name  string
				limit int
				want  store.OutboxStats
			}{
				{"all looked at", 10, store.OutboxStats{Shoppers: 3, Messages: 6, Exact: true, Oldest: t0}},
				{"limit at the count", 3, store.OutboxStats{Shoppers: 3, Messages: 6, Exact: true, Oldest: t0}},
				// The first shopper committed is due first: its 2 replies,
				// plus one for each shopper not looked at.
				{"one looked at", 1, store.OutboxStats{Shoppers: 3, Messages: 4, Exact: false, Oldest: t0.Add(time.Second)}},
				{"none looked at", 0, store.OutboxStats{Shoppers: 3, Messages: 3, Exact: false}},
			}
			for _, tc := range tests {
				got, err := st.OutboxStats(ctx, tc.limit)
				if err != nil {
					t.Fatalf("%s: %v", tc.name, err)
				}
				if got.Shoppers != tc.want.Shoppers || got.Messages != tc.want.Messages || got.Exact != tc.want.Exact ||
					!got.Oldest.Equal(tc.want.Oldest) {
					t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
				}
			}
		})
	}
}

func TestAddDeadLetter(t *testing.T) {
	const phone = "919800000009"
	for name, st := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			var dl store.DeadLetterAdder = st
			if err := dl.AddDeadLetter(ctx, store.OutMessage{ID: "x"}, "no phone"); err == nil {
				t.Fatal("a message without a phone was dead-lettered")
			}
			m := store.OutMessage{ID: "ref-1", Phone: phone, Payload: []byte(`{"kind":"text"}`)}
			reason := "text message refused: outside the 24-hour customer-service window"
			if err := dl.AddDeadLetter(ctx, m, reason); err != nil {
				t.Fatal(err)
			}
			dls, err := st.DeadLetters(ctx, 10)
			if err != nil || len(dls) != 1 {
				t.Fatalf("dead letters: %+v, %v", dls, err)
			}
			d := dls[0]
			if d.Reason != reason || d.Message.ID != "ref-1" || d.Message.Phone != phone || d.Message.Queued.IsZero() || d.At.IsZero() {
				t.Fatalf("dead letter %+v", d)
			}
			s, err := st.Status(ctx, "", "ref-1")
			if err != nil || s.Status != store.StatusDead || !strings.Contains(s.Error, "24-hour") || s.Phone != phone {
				t.Fatalf("status %+v, %v", s, err)
			}
			if err := st.Redrive(ctx, d.StreamID); err != nil {
				t.Fatal(err)
			}
			head, ok, err := st.Head(ctx, phone)
			if err != nil || !ok || head.ID != "ref-1" {
				t.Fatalf("after redrive the head is %+v %v %v", head, ok, err)
			}
			if s, _ := st.Status(ctx, "", "ref-1"); s.Status != store.StatusQueued {
				t.Fatalf("after redrive the status is %q", s.Status)
			}
			if err := st.Redrive(ctx, d.StreamID); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("second redrive: %v", err)
			}
		})
	}
}
