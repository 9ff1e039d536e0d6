package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/souk-commerce/souk/store"
	"github.com/souk-commerce/souk/store/storetest"
)

// TestWaiting checks the handoff queue: shoppers handed off are listed
// longest waiting first with what they wrote meanwhile, up to the limit;
// a resumed or reset conversation leaves it, and one handed off again is
// listed by its new handoff.
func TestWaiting(t *testing.T) {
	ctx := context.Background()
	all := stores(t)
	all["cluster"] = storetest.MiniredisCluster(t)
	for name, st := range all {
		t.Run(name, func(t *testing.T) {
			at := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
			var phones []string
			for i := range 5 {
				phone := fmt.Sprintf("91980000010%d", i)
				phones = append(phones, phone)
				c := store.Conversation{Phone: phone, State: "human", HandoffAt: at.Add(time.Duration(4-i) * time.Minute)}
				handOff(t, st, c, nil)
			}
			held := store.Held{ID: "wamid.h1", At: at.Add(time.Hour), Kind: "text", Text: "can I pay by card?"}
			c, _ := st.Load(ctx, phones[4])
			handOff(t, st, c, &held)
			handOff(t, st, store.Conversation{Phone: "919800000200", State: "menu"}, nil) // not handed off

			got := waiting(t, st, 10)
			want := []string{phones[4], phones[3], phones[2], phones[1], phones[0]}
			if fmt.Sprint(phonesOf(got)) != fmt.Sprint(want) {
				t.Fatalf("waiting %v, want %v, longest first", phonesOf(got), want)
			}
			if w := got[0]; w.Held != 1 || w.Last == nil || w.Last.Text != held.Text || !w.Since.Equal(at) {
				t.Errorf("the longest waiting: %+v, want since %v with the held message", w, at)
			}
			if got := waiting(t, st, 2); fmt.Sprint(phonesOf(got)) != fmt.Sprint(want[:2]) {
				t.Errorf("limit 2: %v, want %v", phonesOf(got), want[:2])
			}

			if was, _, err := st.Resume(ctx, phones[4]); !was || err != nil {
				t.Fatalf("Resume = %v, %v", was, err)
			}
			if err := st.Delete(ctx, phones[3]); err != nil {
				t.Fatal(err)
			}
			if got := waiting(t, st, 2); fmt.Sprint(phonesOf(got)) != fmt.Sprint(want[2:4]) {
				t.Errorf("after a resume and a delete: %v, want %v", phonesOf(got), want[2:4])
			}

			// Handed off again after a reset: listed by the new handoff's time.
			handOff(t, st, store.Conversation{Phone: phones[3], State: "human", HandoffAt: at.Add(2 * time.Hour)}, nil)
			if got := waiting(t, st, 10); fmt.Sprint(phonesOf(got)) != fmt.Sprint([]string{phones[2], phones[1], phones[0], phones[3]}) {
				t.Errorf("after a new handoff: %v, want %s last", phonesOf(got), phones[3])
			}
		})
	}
}

// handOff commits c, holding m for the operator when it is given.
func handOff(t *testing.T, st *store.Redis, c store.Conversation, m *store.Held) {
	t.Helper()
	id := fmt.Sprintf("wamid.%s.%d.%d", c.Phone, c.Version, c.HandoffAt.UnixMilli())
	if m != nil {
		c.Hold(*m)
	}
	if err := st.Commit(context.Background(), store.Commit{Conversation: c, MessageID: id, TTL: time.Hour}); err != nil {
		t.Fatal(err)
	}
}

func waiting(t *testing.T, st *store.Redis, limit int) []store.Waiting {
	t.Helper()
	w, err := st.Waiting(context.Background(), limit)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func phonesOf(ws []store.Waiting) []string {
	var out []string
	for _, w := range ws {
		out = append(out, w.Phone)
	}
	return out
}
