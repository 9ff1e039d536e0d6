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
	move := func(wamid string, out ...store.OutMessage) (store.Handover, error) {
		conv, err := b.Load(c, phone)
		if err != nil {
			t.Fatal(err)
		}
		conv.State = "s-" + wamid
		return cl.CommitLease(c, store.Commit{Conversation: conv, MessageID: wamid, TTL: time.Hour, Outbox: out}, time.Minute)
	}
	if h, err := move("w0"); err != nil || h != (store.Handover{}) {
		t.Fatalf("a move without replies: %+v, %v; want no handover", h, err)
	}
	h, err := move("w1", msg("m1", "a"), msg("m2", "b"))
	if err != nil || h.Token == "" || h.Sending {
		t.Fatalf("first replies: %+v, %v; want a lease", h, err)
	}
	tok := h.Token
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
	if h2, err := move("w2", msg("m3", "c")); err != nil || h2.Token != "" || !h2.Sending {
		t.Fatalf("replies behind a leased outbox: %+v, %v; want Sending", h2, err)
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
	if h3, err := move("w3", msg("m4", "d")); err != nil || h3.Token == "" {
		t.Fatalf("replies into a drained outbox: %+v, %v; want a lease", h3, err)
	}
}

// testCommitLeaseBehindQueue checks that an outbox still holding an older
// reply is not leased at commit, even when no sender holds it, and that
// the commit does not claim a sender is on it.
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
	h, err := cl.CommitLease(c, store.Commit{Conversation: conv, MessageID: "w2", TTL: time.Hour,
		Outbox: []store.OutMessage{msg("m2", "b")}}, time.Minute)
	if err != nil || h != (store.Handover{}) {
		t.Fatalf("commit behind a queued reply, no sender on it: %+v, %v; want no handover", h, err)
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
