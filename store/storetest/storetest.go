// Package storetest is a conformance suite every souk store passes: dedup,
// optimistic moves, the outbox and message statuses. store's own tests run
// it on miniredis and, with REDIS_URL, on a real Redis.
//
// It also opens stores for tests: Miniredis (fresh, in-process),
// MiniredisCluster (the same, through a Cluster client), Redis (the Redis
// of REDIS_URL under a random Prefix whose keys are deleted when the test
// ends; skipped when REDIS_URL is unset) and OpenRedis (any URL and
// prefix, n stores sharing them).
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/souk-commerce/souk/store"
)

// Backend is what the suite exercises.
type Backend interface {
	store.Store
	store.Outbox
}

// Open returns a fresh, empty backend for one test, cleaned up by t.
type Open func(t *testing.T) Backend

// Run runs every conformance test on backends made by open.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		run  func(t *testing.T, b Backend)
	}{
		{"commit dedup and version", testCommit},
		{"outbox committed with the move", testOutboxAtomic},
		{"lease is exclusive and fences writes", testLease},
		{"retry waits for its time", testRetry},
		{"dead letter and redrive", testDeadRedrive},
		{"redrives at once queue a letter once", testRedriveRace},
		{"status never goes back", testStatus},
		{"status callback naming the recipient", testStatusByRecipient},
		{"release keeps a racing commit due", testReleaseRace},
		{"drainer: one round trip per step", testDrainer},
		{"commit leases the outbox it fills", testCommitLease},
		{"commit does not lease an outbox with older replies", testCommitLeaseBehindQueue},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, open(t)) })
	}
}

const phone = "919876543210"

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func msg(id, text string) store.OutMessage {
	p, _ := json.Marshal(map[string]string{"text": text})
	return store.OutMessage{ID: id, Payload: p}
}

// commit commits a move of phone from its current version with replies.
func commit(t *testing.T, b Backend, wamid string, out ...store.OutMessage) error {
	t.Helper()
	c, err := b.Load(ctx(t), phone)
	if err != nil {
		t.Fatal(err)
	}
	c.State = "s-" + wamid
	return b.Commit(ctx(t), store.Commit{Conversation: c, MessageID: wamid, TTL: time.Hour, Outbox: out})
}

func testCommit(t *testing.T, b Backend) {
	c := ctx(t)
	if err := commit(t, b, "w1"); err != nil {
		t.Fatal(err)
	}
	if err := commit(t, b, "w1"); !errors.Is(err, store.ErrDuplicate) {
		t.Fatalf("second commit of w1: %v, want ErrDuplicate", err)
	}
	seen, err := b.Seen(c, phone, "w1")
	if err != nil || !seen {
		t.Fatalf("Seen(w1) = %v, %v", seen, err)
	}
	stale, _ := b.Load(c, phone)
	if err := commit(t, b, "w2"); err != nil {
		t.Fatal(err)
	}
	stale.State = "stale"
	err = b.Commit(c, store.Commit{Conversation: stale, MessageID: "w3", TTL: time.Hour})
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale commit: %v, want ErrConflict", err)
	}
	if seen, _ := b.Seen(c, phone, "w3"); seen {
		t.Fatal("a conflicting commit marked its message seen")
	}
	err = b.Commit(c, store.Commit{Conversation: stale, MessageID: "w1", TTL: time.Hour})
	if !errors.Is(err, store.ErrDuplicate) {
		t.Fatalf("stale commit of a seen message: %v, want ErrDuplicate", err)
	}
	got, _ := b.Load(c, phone)
	if got.Version != 2 || got.State != "s-w2" {
		t.Fatalf("conversation = v%d %q, want v2 s-w2", got.Version, got.State)
	}
}

func testOutboxAtomic(t *testing.T, b Backend) {
	c := ctx(t)
	if err := commit(t, b, "w1", msg("m1", "a"), msg("m2", "b")); err != nil {
		t.Fatal(err)
	}
	if err := commit(t, b, "w1", msg("m3", "dup")); !errors.Is(err, store.ErrDuplicate) {
		t.Fatalf("duplicate: %v", err)
	}
	due, err := b.Due(c, time.Now(), 10)
	if err != nil || len(due) != 1 || due[0] != phone {
		t.Fatalf("Due = %v, %v; want [%s]", due, err, phone)
	}
	st, err := b.Status(c, phone, "m1")
	if err != nil || st.Status != store.StatusQueued {
		t.Fatalf("status of m1 = %+v, %v; want queued", st, err)
	}
	tok, err := b.Lease(c, phone, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	var sent []string
	for {
		m, ok, err := b.Head(c, phone)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		if err := b.IndexRef(c, phone, m.ID); err != nil {
			t.Fatal(err)
		}
		if err := b.Sent(c, phone, tok, m, "k-"+m.ID); err != nil {
			t.Fatal(err)
		}
		sent = append(sent, m.ID)
	}
	if len(sent) != 2 || sent[0] != "m1" || sent[1] != "m2" {
		t.Fatalf("sent %v, want [m1 m2]", sent)
	}
	if err := b.Release(c, phone, tok); err != nil {
		t.Fatal(err)
	}
	if due, _ := b.Due(c, time.Now().Add(time.Hour), 10); len(due) != 0 {
		t.Fatalf("drained outbox still due: %v", due)
	}
	st, err = b.StatusByMessageID(c, "k-m2")
	if err != nil || st.ID != "m2" || st.Status != store.StatusSent || st.Phone != phone {
		t.Fatalf("StatusByMessageID(k-m2) = %+v, %v", st, err)
	}
	if st, err = b.Status(c, "", "m1"); err != nil || st.MessageID != "k-m1" {
		t.Fatalf("Status by ref index = %+v, %v", st, err)
	}
}

func testLease(t *testing.T, b Backend) {
	c := ctx(t)
	if err := commit(t, b, "w1", msg("m1", "a")); err != nil {
		t.Fatal(err)
	}
	tok, err := b.Lease(c, phone, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Lease(c, phone, time.Minute); !errors.Is(err, store.ErrLeased) {
		t.Fatalf("second lease: %v, want ErrLeased", err)
	}
	if due, _ := b.Due(c, time.Now(), 10); len(due) != 0 {
		t.Fatalf("a leased shopper was not pushed back: due %v", due)
	}
	m, _, _ := b.Head(c, phone)
	if err := b.Sent(c, phone, "not-the-token", m, "k"); !errors.Is(err, store.ErrLeaseLost) {
		t.Fatalf("Sent with a wrong token: %v, want ErrLeaseLost", err)
	}
	other := msg("other", "x")
	if err := b.Sent(c, phone, tok, other, "k"); !errors.Is(err, store.ErrLeaseLost) {
		t.Fatalf("Sent of a message that is not the head: %v, want ErrLeaseLost", err)
	}
	if err := b.Release(c, phone, tok); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Lease(c, phone, time.Minute); err != nil {
		t.Fatalf("lease after release: %v", err)
	}
}

func testRetry(t *testing.T, b Backend) {
	c := ctx(t)
	if err := commit(t, b, "w1", msg("m1", "a"), msg("m2", "b")); err != nil {
		t.Fatal(err)
	}
	tok, _ := b.Lease(c, phone, time.Minute)
	m, _, _ := b.Head(c, phone)
	m.Attempts, m.LastError, m.NextAt = 1, "WA500", time.Now().Add(time.Hour)
	if err := b.Retry(c, phone, tok, m); err != nil {
		t.Fatal(err)
	}
	if err := b.Release(c, phone, tok); err != nil {
		t.Fatal(err)
	}
	if due, _ := b.Due(c, time.Now(), 10); len(due) != 0 {
		t.Fatalf("due before its retry time: %v", due)
	}
	if due, _ := b.Due(c, time.Now().Add(2*time.Hour), 10); len(due) != 1 {
		t.Fatalf("not due after its retry time: %v", due)
	}
	head, _, _ := b.Head(c, phone)
	if head.ID != "m1" || head.Attempts != 1 || head.LastError != "WA500" {
		t.Fatalf("head after retry = %+v", head)
	}
}

func testDeadRedrive(t *testing.T, b Backend) {
	c := ctx(t)
	if err := commit(t, b, "w1", msg("m1", "a"), msg("m2", "b")); err != nil {
		t.Fatal(err)
	}
	tok, _ := b.Lease(c, phone, time.Minute)
	m, _, _ := b.Head(c, phone)
	m.Attempts = 1
	if err := b.Dead(c, phone, tok, m, "not retryable: WA400"); err != nil {
		t.Fatal(err)
	}
	if head, _, _ := b.Head(c, phone); head.ID != "m2" {
		t.Fatalf("head after dead letter = %q, want m2", head.ID)
	}
	_ = b.Release(c, phone, tok)
	dls, err := b.DeadLetters(c, 10)
	if err != nil || len(dls) != 1 || dls[0].Message.ID != "m1" || dls[0].Reason != "not retryable: WA400" {
		t.Fatalf("DeadLetters = %+v, %v", dls, err)
	}
	if st, _ := b.Status(c, phone, "m1"); st.Status != store.StatusDead || st.Error == "" {
		t.Fatalf("status of dead m1 = %+v", st)
	}
	if err := b.Redrive(c, dls[0].StreamID); err != nil {
		t.Fatal(err)
	}
	if err := b.Redrive(c, dls[0].StreamID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("second redrive: %v, want ErrNotFound", err)
	}
	if dls, _ := b.DeadLetters(c, 10); len(dls) != 0 {
		t.Fatalf("dead letters after redrive: %+v", dls)
	}
	if st, _ := b.Status(c, phone, "m1"); st.Status != store.StatusQueued {
		t.Fatalf("status after redrive = %+v, want queued", st)
	}
	tok, _ = b.Lease(c, phone, time.Minute)
	var ids []string
	for {
		h, ok, _ := b.Head(c, phone)
		if !ok {
			break
		}
		ids = append(ids, h.ID)
		if h.ID == "m1" && h.Attempts != 0 {
			t.Fatalf("redriven attempts = %d, want 0", h.Attempts)
		}
		_ = b.Sent(c, phone, tok, h, "")
	}
	if len(ids) != 2 || ids[0] != "m2" || ids[1] != "m1" {
		t.Fatalf("after redrive the outbox held %v, want [m2 m1]", ids)
	}
}

func testStatus(t *testing.T, b Backend) {
	c := ctx(t)
	if err := commit(t, b, "w1", msg("m1", "a")); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name, by, status string
		applied          bool
		want             string
	}{
		{"failed after queued", "ref", store.StatusFailed, true, store.StatusFailed},
		{"delivered after failed wins", "ref", store.StatusDelivered, true, store.StatusDelivered},
		{"sent after delivered is ignored", "ref", store.StatusSent, false, store.StatusDelivered},
		{"not sent after delivered is ignored", "ref", store.StatusNotSent, false, store.StatusDelivered},
		{"failed after delivered is ignored", "ref", store.StatusFailed, false, store.StatusDelivered},
		{"read by message id", "mid", store.StatusRead, true, store.StatusRead},
		{"delivered after read is ignored", "mid", store.StatusDelivered, false, store.StatusRead},
		{"unknown message", "unknown", store.StatusRead, false, store.StatusRead},
	}
	tok, _ := b.Lease(c, phone, time.Minute)
	m, _, _ := b.Head(c, phone)
	_ = b.IndexRef(c, phone, "m1")
	for _, s := range steps {
		u := store.StatusUpdate{Status: s.status}
		switch s.by {
		case "ref":
			u.Ref = "m1"
		case "mid":
			u.MessageID = "k-m1"
		default:
			u.Ref, u.MessageID = "nope", "nope"
		}
		ok, err := b.UpdateStatus(c, u)
		if err != nil || ok != s.applied {
			t.Fatalf("%s: applied = %v, %v; want %v", s.name, ok, err, s.applied)
		}
		if s.name == "sent after delivered is ignored" {
			if err := b.Sent(c, phone, tok, m, "k-m1"); err != nil {
				t.Fatal(err)
			}
		}
		if st, _ := b.Status(c, phone, "m1"); st.Status != s.want {
			t.Fatalf("%s: status %q, want %q", s.name, st.Status, s.want)
		}
	}
}

// testStatusByRecipient checks callbacks that name the recipient: the
// record under it is updated, and one naming another recipient still finds
// the record through the ref index.
func testStatusByRecipient(t *testing.T, b Backend) {
	c := ctx(t)
	if err := commit(t, b, "w1", msg("m1", "a")); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name    string
		u       store.StatusUpdate
		applied bool
		want    string
	}{
		{"recipient and ref", store.StatusUpdate{Phone: phone, Ref: "m1", Status: store.StatusDelivered}, true, store.StatusDelivered},
		{"going back", store.StatusUpdate{Phone: phone, Ref: "m1", Status: store.StatusSent}, false, store.StatusDelivered},
		{"another recipient", store.StatusUpdate{Phone: "919800000000", Ref: "m1", Status: store.StatusRead}, true, store.StatusRead},
		{"unknown ref", store.StatusUpdate{Phone: phone, Ref: "nope", Status: store.StatusFailed}, false, store.StatusRead},
	}
	for _, s := range steps {
		ok, err := b.UpdateStatus(c, s.u)
		if err != nil || ok != s.applied {
			t.Fatalf("%s: applied = %v, %v; want %v", s.name, ok, err, s.applied)
		}
		if st, _ := b.Status(c, phone, "m1"); st.Status != s.want {
			t.Fatalf("%s: status %q, want %q", s.name, st.Status, s.want)
		}
	}
}

func testReleaseRace(t *testing.T, b Backend) {
	c := ctx(t)
	if err := commit(t, b, "w1", msg("m1", "a")); err != nil {
		t.Fatal(err)
	}
	tok, _ := b.Lease(c, phone, time.Minute)
	m, _, _ := b.Head(c, phone)
	if err := b.Sent(c, phone, tok, m, ""); err != nil {
		t.Fatal(err)
	}
	// A commit lands while the sender still holds the lease.
	if err := commit(t, b, "w2", msg("m2", "b")); err != nil {
		t.Fatal(err)
	}
	if err := b.Release(c, phone, tok); err != nil {
		t.Fatal(err)
	}
	if due, _ := b.Due(c, time.Now().Add(time.Second), 10); len(due) != 1 {
		t.Fatalf("a message committed during the lease is not due: %v", due)
	}
}

// testRedriveRace redrives one dead letter from several goroutines at
// once: one succeeds, the others find it claimed or gone, and the outbox
// holds it once.
func testRedriveRace(t *testing.T, b Backend) {
	c := ctx(t)
	if err := commit(t, b, "w1", msg("m1", "a")); err != nil {
		t.Fatal(err)
	}
	tok, _ := b.Lease(c, phone, time.Minute)
	m, _, _ := b.Head(c, phone)
	if err := b.Dead(c, phone, tok, m, "not retryable: WA400"); err != nil {
		t.Fatal(err)
	}
	_ = b.Release(c, phone, tok)
	dls, err := b.DeadLetters(c, 10)
	if err != nil || len(dls) != 1 {
		t.Fatalf("DeadLetters = %+v, %v", dls, err)
	}
	const n = 8
	errs := make(chan error, n)
	for range n {
		go func() { errs <- b.Redrive(c, dls[0].StreamID) }()
	}
	ok := 0
	for range n {
		switch err := <-errs; {
		case err == nil:
			ok++
		case !errors.Is(err, store.ErrNotFound) && !errors.Is(err, store.ErrRedriving):
			t.Errorf("redrive: %v", err)
		}
	}
	tok, _ = b.Lease(c, phone, time.Minute)
	queued := 0
	for {
		h, found, _ := b.Head(c, phone)
		if !found {
			break
		}
		queued++
		if err := b.Sent(c, phone, tok, h, "k-"+h.ID); err != nil {
			t.Fatal(err)
		}
	}
	if ok != 1 || queued != 1 {
		t.Errorf("%d redrives succeeded and %d entries were queued, want 1 and 1", ok, queued)
	}
}
