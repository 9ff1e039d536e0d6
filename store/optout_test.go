package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestOptOuts checks that an opt-out is kept, outlives the shopper's
// conversation (a year on, in miniredis's clock), goes when the shopper
// opts in again, and goes with the conversation on Delete; and that a
// record that does not parse still counts as an opt-out.
func TestOptOuts(t *testing.T) {
	ctx := context.Background()
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			b := open(t)
			st, phone := b.st, "919800000401"
			optedOut := func() time.Time {
				t.Helper()
				at, err := st.OptedOut(ctx, phone)
				if err != nil {
					t.Fatal(err)
				}
				return at
			}
			if at := optedOut(); !at.IsZero() {
				t.Fatalf("a new shopper opted out at %v", at)
			}
			at := time.Date(2026, 11, 22, 9, 30, 0, 0, time.UTC)
			if err := st.SetOptOut(ctx, phone, at); err != nil {
				t.Fatal(err)
			}
			if err := st.Commit(ctx, Commit{Conversation: Conversation{Phone: phone, State: "a"}, TTL: time.Hour}); err != nil {
				t.Fatal(err)
			}
			b.advance(t, 365*24*time.Hour)
			if got := optedOut(); !got.Equal(at) {
				t.Fatalf("opted out at %v, want %v", got, at)
			}
			if err := st.SetOptOut(ctx, phone, time.Time{}); err != nil {
				t.Fatal(err)
			}
			if got := optedOut(); !got.IsZero() {
				t.Fatalf("after opting in: opted out at %v", got)
			}
			if err := st.SetOptOut(ctx, phone, at); err != nil {
				t.Fatal(err)
			}
			if err := st.Delete(ctx, phone); err != nil {
				t.Fatal(err)
			}
			if got := optedOut(); !got.IsZero() {
				t.Fatalf("after Delete: opted out at %v", got)
			}
			if err := st.rdb.Set(ctx, st.keys.optOut(phone), "yes", 0).Err(); err != nil {
				t.Fatal(err)
			}
			if got := optedOut(); got.IsZero() {
				t.Fatal("a record that does not parse is not an opt-out")
			}
		})
	}
}

// TestCommitRecordsOptOut checks that a commit records an opt-out or
// opt-in in its own step, and that a commit refused as a duplicate or a
// conflict records nothing: a webhook delivered again days later must not
// undo a later choice.
func TestCommitRecordsOptOut(t *testing.T) {
	ctx := context.Background()
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			st, phone := open(t).st, "919800000402"
			at := time.Date(2026, 11, 22, 9, 30, 0, 0, time.UTC)
			commit := func(id string, stale bool, opt OptChange) error {
				t.Helper()
				c, err := st.Load(ctx, phone)
				if err != nil {
					t.Fatal(err)
				}
				if stale {
					c.Version--
				}
				c.State = "a"
				return st.Commit(ctx, Commit{Conversation: c, MessageID: id, TTL: time.Hour, Opt: opt})
			}
			optedOut := func() time.Time {
				t.Helper()
				got, err := st.OptedOut(ctx, phone)
				if err != nil {
					t.Fatal(err)
				}
				return got
			}
			if err := commit("wamid.stop", false, OptChange{Set: true, At: at}); err != nil {
				t.Fatal(err)
			}
			if got := optedOut(); !got.Equal(at) {
				t.Fatalf("after the stop commit: opted out at %v, want %v", got, at)
			}
			if err := commit("wamid.start", false, OptChange{Set: true}); err != nil {
				t.Fatal(err)
			}
			if got := optedOut(); !got.IsZero() {
				t.Fatalf("after the start commit: opted out at %v", got)
			}
			if err := commit("wamid.stop", false, OptChange{Set: true, At: at}); !errors.Is(err, ErrDuplicate) {
				t.Fatalf("the stop delivered again: %v, want ErrDuplicate", err)
			}
			if err := commit("wamid.stop2", true, OptChange{Set: true, At: at}); !errors.Is(err, ErrConflict) {
				t.Fatalf("a stale version: %v, want ErrConflict", err)
			}
			if got := optedOut(); !got.IsZero() {
				t.Fatalf("a refused commit recorded an opt-out at %v", got)
			}
		})
	}
}
