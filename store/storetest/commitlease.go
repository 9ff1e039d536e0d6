package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/souk-commerce/souk/store"
)

// testCommitLease checks that a commit leases the outbox it fills only
// when the outbox was empty and free, that the shopper is then not due
// before the lease ends, and that the lease fences like one from Lease.
func testCommitLease(t *testing.T, b Backend) {
	cl, ok := b.(store.CommitLeaser)
	d, drains := b.(store.Drainer)
	if !ok || !drains {
		t.Skip("not a store.CommitLeaser and store.Drainer")
	}
	c := ctx(t)
	move := func(wamid string, out ...store.OutMessage) (string, error) {
		conv, err := b.Load(c, phone)
		if err != nil {
			t.Fatal(err)
		}
		conv.State = "s-" + wamid
		return cl.CommitLease(c, store.Commit{Conversation: conv, MessageID: wamid, TTL: time.Hour, Outbox: out}, time.Minute)
	}
	if tok, err := move("w0"); err != nil || tok != "" {
		t.Fatalf("a move without replies: token %q, %v; want none", tok, err)
	}
	tok, err := move("w1", msg("m1", "a"), msg("m2", "b"))
	if err != nil || tok == "" {
		t.Fatalf("first replies: token %q, %v; want a lease", tok, err)
	}
	if _, err := move("w1", msg("m9", "dup")); !errors.Is(err, store.ErrDuplicate) {
		t.Fatalf("duplicate: %v, want ErrDuplicate", err)
	}
	if due, _ := b.Due(c, time.Now(), 10); len(due) != 0 {
		t.Fatalf("an outbox leased at commit is due before its lease ends: %v", due)
	}
	if due, _ := b.Due(c, time.Now().Add(2*time.Minute), 10); len(due) != 1 {
		t.Fatalf("an outbox leased at commit is not due after its lease: %v", due)
	}
	if _, err := b.Lease(c, phone, time.Minute); !errors.Is(err, store.ErrLeased) {
		t.Fatalf("Lease of an outbox leased at commit: %v, want ErrLeased", err)
	}
	if tok2, err := move("w2", msg("m3", "c")); err != nil || tok2 != "" {
		t.Fatalf("replies behind a leased outbox: token %q, %v; want none", tok2, err)
	}
	var sent []string
	m := store.OutMessage{ID: "m1"}
	for more := true; more; {
		sent = append(sent, m.ID)
		if m, more, err = d.SentNext(c, phone, tok, m, "k-"+m.ID); err != nil {
			t.Fatal(err)
		}
	}
	if len(sent) != 3 || sent[0] != "m1" || sent[1] != "m2" || sent[2] != "m3" {
		t.Fatalf("sent %v, want [m1 m2 m3]", sent)
	}
	if st, err := b.Status(c, phone, "m1"); err != nil || st.Status != store.StatusSent || st.MessageID != "k-m1" {
		t.Fatalf("status of m1: %+v, %v", st, err)
	}
	// The sender let go of the drained outbox: the next commit leases it.
	if tok3, err := move("w3", msg("m4", "d")); err != nil || tok3 == "" {
		t.Fatalf("replies into a drained outbox: token %q, %v; want a lease", tok3, err)
	}
}

// testCommitLeaseBehindQueue checks that an outbox still holding an older
// reply is not leased at commit, even when no sender holds it.
func testCommitLeaseBehindQueue(t *testing.T, b Backend) {
	cl, ok := b.(store.CommitLeaser)
	if !ok {
		t.Skip("not a store.CommitLeaser")
	}
	c := ctx(t)
	if err := commit(t, b, "w1", msg("m1", "a")); err != nil {
		t.Fatal(err)
	}
	conv, _ := b.Load(c, phone)
	tok, err := cl.CommitLease(c, store.Commit{Conversation: conv, MessageID: "w2", TTL: time.Hour,
		Outbox: []store.OutMessage{msg("m2", "b")}}, time.Minute)
	if err != nil || tok != "" {
		t.Fatalf("commit behind a queued reply: token %q, %v; want none", tok, err)
	}
	if due, _ := b.Due(c, time.Now(), 10); len(due) != 1 {
		t.Fatalf("the outbox is not due: %v", due)
	}
	stale := conv
	if _, err := cl.CommitLease(c, store.Commit{Conversation: stale, MessageID: "w3", TTL: time.Hour,
		Outbox: []store.OutMessage{msg("m3", "c")}}, time.Minute); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale commit: %v, want ErrConflict", err)
	}
}
