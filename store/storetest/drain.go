package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/souk-commerce/souk/store"
)

// testDrainer checks the one-round-trip sender steps of a store.Drainer:
// lease with head, sent with next head, and the hand-back of an empty
// outbox that must not lose a message committed meanwhile.
func testDrainer(t *testing.T, b Backend) {
	d, ok := b.(store.Drainer)
	if !ok {
		t.Skip("not a store.Drainer")
	}
	c := ctx(t)
	if _, _, ok, err := d.LeaseHead(c, phone, time.Minute); ok || err != nil {
		t.Fatalf("LeaseHead of an empty outbox: ok %v, %v", ok, err)
	}
	if err := commit(t, b, "w1", msg("m1", "a"), msg("m2", "b")); err != nil {
		t.Fatal(err)
	}
	if st, err := b.Status(c, "", "m1"); err != nil || st.Status != store.StatusQueued {
		t.Fatalf("a queued message is not found by its id alone: %+v, %v", st, err)
	}
	tok, head, ok, err := d.LeaseHead(c, phone, time.Minute)
	if err != nil || !ok || head.ID != "m1" {
		t.Fatalf("LeaseHead = %q, %v, %v; want m1", head.ID, ok, err)
	}
	if _, _, _, err := d.LeaseHead(c, phone, time.Minute); !errors.Is(err, store.ErrLeased) {
		t.Fatalf("second LeaseHead: %v, want ErrLeased", err)
	}
	if _, _, err := d.SentNext(c, phone, "not-the-token", head, "k"); !errors.Is(err, store.ErrLeaseLost) {
		t.Fatalf("SentNext with a wrong token: %v, want ErrLeaseLost", err)
	}
	next, ok, err := d.SentNext(c, phone, tok, head, "k-m1")
	if err != nil || !ok || next.ID != "m2" {
		t.Fatalf("SentNext(m1) = %q, %v, %v; want m2", next.ID, ok, err)
	}
	// A commit lands while the sender holds the lease.
	if err := commit(t, b, "w2", msg("m3", "c")); err != nil {
		t.Fatal(err)
	}
	var sent []string
	for m, more := next, true; more; {
		sent = append(sent, m.ID)
		if m, more, err = d.SentNext(c, phone, tok, m, "k-"+m.ID); err != nil {
			t.Fatal(err)
		}
	}
	if len(sent) != 2 || sent[0] != "m2" || sent[1] != "m3" {
		t.Fatalf("sent %v after m1, want [m2 m3]", sent)
	}
	if due, _ := b.Due(c, time.Now().Add(time.Hour), 10); len(due) != 0 {
		t.Fatalf("drained outbox still due: %v", due)
	}
	// An id that JSON escapes is matched by decoding the head entry.
	odd := `m"<4\`
	if err := commit(t, b, "w3", msg(odd, "d")); err != nil {
		t.Fatal(err)
	}
	tok, head, ok, err = d.LeaseHead(c, phone, time.Minute)
	if err != nil || !ok || head.ID != odd {
		t.Fatalf("LeaseHead = %q, %v, %v; want %q", head.ID, ok, err, odd)
	}
	if _, more, err := d.SentNext(c, phone, tok, head, ""); err != nil || more {
		t.Fatalf("SentNext(%q) = more %v, %v", odd, more, err)
	}
	if _, err := b.Lease(c, phone, time.Minute); err != nil {
		t.Fatalf("the drained outbox was not handed back: %v", err)
	}
	if st, err := b.StatusByMessageID(c, "k-m3"); err != nil || st.ID != "m3" || st.Status != store.StatusSent || st.Attempts != 1 {
		t.Fatalf("StatusByMessageID(k-m3) = %+v, %v", st, err)
	}
}
