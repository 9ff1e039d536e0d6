package store_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/souk-commerce/souk/store"
	"github.com/souk-commerce/souk/store/storetest"
)

// stores returns the embedded store and, when REDIS_URL is set, the real
// one, each on a fresh prefix that is deleted afterwards.
func stores(t *testing.T) map[string]*store.Redis {
	t.Helper()
	out := map[string]*store.Redis{"embedded": storetest.OpenRedis(t, "", storetest.Prefix(), 1)[0]}
	if os.Getenv("REDIS_URL") != "" {
		out["redis"] = storetest.Redis(t)
	}
	return out
}

func TestSeenLoad(t *testing.T) {
	ctx := context.Background()
	for name, st := range stores(t) {
		t.Run(name, func(t *testing.T) {
			phone := "919876543210"
			c := store.Conversation{Phone: phone, State: "welcome", Name: "Asha", LastActive: time.Now()}
			if err := st.Commit(ctx, store.Commit{Conversation: c, MessageID: "wamid.1", TTL: time.Hour}); err != nil {
				t.Fatal(err)
			}
			tests := []struct {
				name, phone, id string
				seen            bool
				version         int64
				state           string
			}{
				{"new shopper", "919800000001", "wamid.1", false, 0, ""},
				{"applied id", phone, "wamid.1", true, 0, ""},
				{"fresh id", phone, "wamid.2", false, 1, "welcome"},
			}
			for _, tt := range tests {
				got, seen, err := st.SeenLoad(ctx, tt.phone, tt.id)
				if err != nil || seen != tt.seen || got.Version != tt.version || got.State != tt.state || got.Phone != tt.phone {
					t.Errorf("%s: SeenLoad = %+v, seen %v, %v; want seen %v, version %d, state %q",
						tt.name, got, seen, err, tt.seen, tt.version, tt.state)
				}
			}
		})
	}
}

func TestDeleteAll(t *testing.T) {
	ctx := context.Background()
	st, other := storetest.Redis(t), storetest.Redis(t) // DeleteAll is checked on a real Redis
	for i, s := range []*store.Redis{st, other} {
		c := store.Conversation{Phone: "91980000000" + fmt.Sprint(i), State: "welcome", LastActive: time.Now()}
		if err := s.Commit(ctx, store.Commit{Conversation: c, MessageID: "wamid.x", TTL: time.Hour}); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := st.DeleteAll(ctx); err != nil || n != 2 {
		t.Fatalf("DeleteAll = %d, %v; want 2 keys (conversation and seen id)", n, err)
	}
	if keys, err := other.Footprint(ctx, "919800000001"); err != nil || len(keys) != 2 {
		t.Fatalf("another prefix's keys after DeleteAll: %v, %v; want both kept", keys, err)
	}
}
