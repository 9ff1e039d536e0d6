package store

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"
)

// TestCachedConversation checks the process's conversation cache: the
// move after a commit loads without Redis, a retried message id is known
// as seen, and an entry gone stale behind another writer's back costs one
// conflict whose answer brings the current conversation for the retry.
func TestCachedConversation(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			st := open(t).st
			ctx := context.Background()
			const phone = "914"
			c, seen, err := st.SeenLoad(ctx, phone, "m1")
			if err != nil || seen || c.Exists() {
				t.Fatalf("SeenLoad of a new shopper = %+v, %v, %v", c, seen, err)
			}
			c.State = "a"
			if err := st.Commit(ctx, Commit{Conversation: c, MessageID: "m1", TTL: time.Hour}); err != nil {
				t.Fatal(err)
			}
			if _, seen, _ := st.SeenLoad(ctx, phone, "m1"); !seen {
				t.Fatal("the message just applied is not seen")
			}
			// Another writer moves the conversation; the cache does not know.
			other := NewRedis(st.rdb, st.cfg)
			fresh, _ := other.Load(ctx, phone)
			fresh.State = "b"
			if err := other.Commit(ctx, Commit{Conversation: fresh, MessageID: "m2", TTL: time.Hour}); err != nil {
				t.Fatal(err)
			}
			stale, _, err := st.SeenLoad(ctx, phone, "m3")
			if err != nil || stale.Version != 1 || stale.State != "a" {
				t.Fatalf("SeenLoad = %+v, %v; want the cached v1 (no round trip)", stale, err)
			}
			stale.State = "c"
			if err := st.Commit(ctx, Commit{Conversation: stale, MessageID: "m3", TTL: time.Hour}); !errors.Is(err, ErrConflict) {
				t.Fatalf("commit from the stale entry = %v, want ErrConflict", err)
			}
			retry, _, err := st.SeenLoad(ctx, phone, "m3")
			if err != nil || retry.Version != 2 || retry.State != "b" {
				t.Fatalf("SeenLoad after the conflict = %+v, %v; want v2 in state b", retry, err)
			}
			retry.State = "c"
			if err := st.Commit(ctx, Commit{Conversation: retry, MessageID: "m3", TTL: time.Hour}); err != nil {
				t.Fatal(err)
			}
			if got, _ := st.Load(ctx, phone); got.Version != 3 || got.State != "c" {
				t.Fatalf("conversation = v%d %q, want v3 c", got.Version, got.State)
			}
		})
	}
}

// TestCachedConversationGone checks that a conversation deleted behind the
// cache's back (expired, or deleted by another process) starts over after
// one conflict.
func TestCachedConversationGone(t *testing.T) {
	st := open1(t)
	ctx := context.Background()
	c, _, _ := st.SeenLoad(ctx, "915", "m1")
	c.State = "a"
	if err := st.Commit(ctx, Commit{Conversation: c, MessageID: "m1", TTL: time.Hour}); err != nil {
		t.Fatal(err)
	}
	if err := st.rdb.Del(ctx, st.keys.conv("915")).Err(); err != nil {
		t.Fatal(err)
	}
	stale, _, _ := st.SeenLoad(ctx, "915", "m2")
	if err := st.Commit(ctx, Commit{Conversation: stale, MessageID: "m2", TTL: time.Hour}); !errors.Is(err, ErrConflict) {
		t.Fatalf("commit onto a deleted conversation = %v, want ErrConflict", err)
	}
	if again, _, err := st.SeenLoad(ctx, "915", "m2"); err != nil || again.Exists() {
		t.Fatalf("SeenLoad after the conflict = %+v, %v; want a new conversation", again, err)
	}
}

// TestCachedConversationReborn checks that an entry kept from before the
// conversation expired cannot pass the version check of the conversation
// that another process started afresh and moved to the same version: its
// moves would be overwritten with the old state.
func TestCachedConversationReborn(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			st := open(t).st
			ctx := context.Background()
			const phone = "916"
			move := func(s *Redis, id, state string) error {
				c, _, err := s.SeenLoad(ctx, phone, id)
				if err != nil {
					return err
				}
				c.State = state
				return s.Commit(ctx, Commit{Conversation: c, MessageID: id, TTL: time.Hour})
			}
			for i, state := range []string{"a1", "a2"} {
				if err := move(st, "a"+strconv.Itoa(i), state); err != nil {
					t.Fatal(err)
				}
			}
			if err := st.rdb.Del(ctx, st.keys.conv(phone)).Err(); err != nil { // as if it expired
				t.Fatal(err)
			}
			other := NewRedis(st.rdb, st.cfg)
			for i, state := range []string{"b1", "b2"} {
				if err := move(other, "b"+strconv.Itoa(i), state); err != nil {
					t.Fatal(err)
				}
			}
			stale, _, _ := st.SeenLoad(ctx, phone, "a9")
			if stale.Version != 2 || stale.State != "a2" {
				t.Fatalf("cached = v%d %q, want the entry from before: v2 a2", stale.Version, stale.State)
			}
			stale.State = "a3"
			if err := st.Commit(ctx, Commit{Conversation: stale, MessageID: "a9", TTL: time.Hour}); !errors.Is(err, ErrConflict) {
				t.Fatalf("commit from before the conversation expired = %v, want ErrConflict", err)
			}
			if got, _ := st.Load(ctx, phone); got.State != "b2" {
				t.Fatalf("conversation in state %q, want b2: the new conversation's moves were overwritten", got.State)
			}
			if err := move(st, "a9", "b3"); err != nil {
				t.Fatalf("the retry after the conflict: %v", err)
			}
			if got, _ := st.Load(ctx, phone); got.Version != 3 || got.State != "b3" {
				t.Fatalf("conversation = v%d %q, want v3 b3", got.Version, got.State)
			}
		})
	}
}

func open1(t *testing.T) *Redis {
	return backends(t)["miniredis"](t).st
}

// TestConvCacheBounded checks the cache never holds more than its size and
// remembers only the last few message ids of a shopper.
func TestConvCacheBounded(t *testing.T) {
	c := newConvCache(3)
	for i := range 10 {
		c.committed(strconv.Itoa(i), revision{version: 1}, []byte(`{}`), "m")
	}
	if n := len(c.entries); n != 3 {
		t.Fatalf("%d entries, want 3", n)
	}
	for i := range recentIDs + 2 {
		c.committed("p", revision{version: int64(i + 1)}, []byte(`{}`), "m"+strconv.Itoa(i))
	}
	e, _ := c.get("p")
	if len(e.ids) != recentIDs || e.applied("m0") || !e.applied("m"+strconv.Itoa(recentIDs+1)) {
		t.Fatalf("ids %v: want the last %d", e.ids, recentIDs)
	}
	if newConvCache(-1) != nil {
		t.Fatal("a negative size made a cache")
	}
}
