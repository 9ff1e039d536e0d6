package outbox_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/bottest"
	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/kaleyra/kaleyratest"
	"github.com/souk-commerce/souk/bot/outbox"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/store"
	"github.com/souk-commerce/souk/store/storetest"
)

const shopper = "919876543210"

// backends are the stores every test here runs on.
var backends = []struct {
	name string
	open func(t *testing.T) *store.Redis
}{
	{"miniredis", func(t *testing.T) *store.Redis { return storetest.Miniredis(t) }},
	{"redis", func(t *testing.T) *store.Redis { return storetest.Redis(t) }},
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// commit commits one move of phone whose replies are texts and returns
// the entries; with lease > 0 the commit also leases the outbox for the
// runner, and token is the lease's (empty when the store did not lease).
func commit(t *testing.T, st *store.Redis, phone, wamid string, lease time.Duration, texts ...string) (token string, out []store.OutMessage) {
	t.Helper()
	ctx := context.Background()
	conv, err := st.Load(ctx, phone)
	if err != nil {
		t.Fatal(err)
	}
	for i, txt := range texts {
		m, err := outbox.Encode(whatsapp.Outbound{ID: wamid + "-" + string(rune('a'+i)), To: phone, Message: whatsapp.Text{Body: txt}})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	conv.State = "s"
	c := store.Commit{Conversation: conv, MessageID: wamid, TTL: time.Hour, Outbox: out}
	if lease == 0 {
		err = st.Commit(ctx, c)
	} else {
		var h store.Handover
		h, err = st.CommitLease(ctx, c, lease)
		token = h.Token
	}
	if err != nil {
		t.Fatal(err)
	}
	return token, out
}

// queue commits one move of shopper whose replies are texts, without a
// lease, and returns their ids.
func queue(t *testing.T, st *store.Redis, wamid string, texts ...string) []string {
	t.Helper()
	_, out := commit(t, st, shopper, wamid, 0, texts...)
	ids := make([]string, len(out))
	for i, m := range out {
		ids[i] = m.ID
	}
	return ids
}

// commitLeased is commit with a minute's lease.
func commitLeased(t *testing.T, st *store.Redis, phone, wamid string, texts ...string) (string, []store.OutMessage) {
	t.Helper()
	return commit(t, st, phone, wamid, time.Minute, texts...)
}

func startRunner(t *testing.T, st *store.Redis, k *kaleyratest.Listener, maxAttempts int) *outbox.Runner {
	return startWith(t, st, k, outbox.Config{Workers: 4, MaxAttempts: maxAttempts,
		Backoff: 5 * time.Millisecond, MaxBackoff: 40 * time.Millisecond, Poll: 10 * time.Millisecond})
}

// startWith starts a runner with cfg on st, sending to the fake k through a
// real Kaleyra client, and stops it when t ends.
func startWith(t *testing.T, st store.Outbox, k *kaleyratest.Listener, cfg outbox.Config) *outbox.Runner {
	t.Helper()
	client, err := kaleyra.New(kaleyra.Config{APIKey: "test-key", SID: "SID", Number: "919800011122", BaseURL: k.URL})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Store, cfg.Sender, cfg.Logger = st, client, quiet()
	return run(t, cfg)
}

// run starts a runner with cfg and stops it when t ends.
func run(t *testing.T, cfg outbox.Config) *outbox.Runner {
	t.Helper()
	r, err := outbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r.Start()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = r.Stop(ctx)
	})
	return r
}

// eventually polls cond until it holds or 10 seconds pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	bottest.Eventually(t, what, 10*time.Second, cond)
}

func TestRetryDeadLetterRedrive(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			st := b.open(t)
			k := kaleyratest.Run(t)
			var fails, secondTries atomic.Int32
			var accept400 atomic.Bool
			k.SetRespond(func(n int, r kaleyratest.Request) kaleyratest.Answer {
				switch {
				case r.Text() == "first" && fails.Add(1) <= 3:
					return kaleyratest.Fail(kaleyra.CodeInternal)
				case r.Text() == "second" && !accept400.Load():
					secondTries.Add(1)
					return kaleyratest.Fail(kaleyra.CodeBadPayload)
				}
				return kaleyratest.Accept("kal-" + r.Ref())
			})
			ids := queue(t, st, "w1", "first", "second", "third")
			startRunner(t, st, k, 6)
			eventually(t, "first and third delivered", func() bool { return len(k.Texts(shopper)) == 2 })
			if got := k.Texts(shopper); !slices.Equal(got, []string{"first", "third"}) {
				t.Fatalf("delivered %v, want [first third]", got)
			}
			ctx := context.Background()
			dls, err := st.DeadLetters(ctx, 10)
			if err != nil || len(dls) != 1 || dls[0].Message.ID != ids[1] || !strings.Contains(dls[0].Reason, "WA400") {
				t.Fatalf("dead letters = %+v, %v", dls, err)
			}
			if n := secondTries.Load(); n != 1 {
				t.Fatalf("a 400 was tried %d times, want 1", n)
			}
			st1, err := outbox.Lookup(ctx, st, "", ids[0])
			if err != nil || st1.Status != store.StatusSent || st1.MessageID != "kal-"+ids[0] || st1.Attempts != 4 {
				t.Fatalf("status of first = %+v, %v; want sent after 4 attempts", st1, err)
			}
			accept400.Store(true)
			if err := st.Redrive(ctx, dls[0].StreamID); err != nil {
				t.Fatal(err)
			}
			eventually(t, "second delivered after redrive", func() bool { return len(k.Texts(shopper)) == 3 })
			if got := k.Texts(shopper); got[2] != "second" {
				t.Fatalf("delivered %v, want second last", got)
			}
		})
	}
}

func TestAttemptsBounded(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			st := b.open(t)
			k := kaleyratest.Run(t)
			k.FailRate(kaleyra.CodeInternal, 1) // every send fails, retryably
			queue(t, st, "w1", "never")
			startRunner(t, st, k, 3)
			var dls []store.DeadLetter
			eventually(t, "dead letter", func() bool {
				dls, _ = st.DeadLetters(context.Background(), 10)
				return len(dls) == 1
			})
			if k.Len() != 3 || !strings.Contains(dls[0].Reason, "gave up after 3 attempts") {
				t.Fatalf("requests %d, reason %q; want 3 and gave up", k.Len(), dls[0].Reason)
			}
		})
	}
}

func TestStatusCallbacks(t *testing.T) {
	st := backends[0].open(t)
	k := kaleyratest.Run(t)
	ids := queue(t, st, "w1", "hello")
	startRunner(t, st, k, 3)
	ctx := context.Background()
	eventually(t, "sent", func() bool {
		s, err := st.Status(ctx, shopper, ids[0])
		return err == nil && s.Status == store.StatusSent
	})
	kalID := k.Accepted()[0].MessageID // Kaleyra's id for the message
	rec := outbox.Statuses{Store: st}
	tests := []struct {
		name    string
		status  whatsapp.Status
		from    string
		applied bool
		want    string
	}{
		{"delivered by ref", whatsapp.Status{Ref: ids[0], Status: "delivered"}, shopper, true, "delivered"},
		{"read by message id, no recipient", whatsapp.Status{MessageID: kalID, Status: "read"}, "", true, "read"},
		{"late sent is ignored", whatsapp.Status{Ref: ids[0], Status: "sent"}, shopper, false, "read"},
		{"unknown message", whatsapp.Status{Ref: "nope", MessageID: "nope", Status: "read"}, "", false, "read"},
	}
	for _, tc := range tests {
		ev := whatsapp.Event{Kind: whatsapp.KindStatus, From: tc.from, Status: &tc.status}
		ok, err := rec.RecordStatus(ctx, ev)
		if err != nil || ok != tc.applied {
			t.Fatalf("%s: applied %v, %v", tc.name, ok, err)
		}
		if s, _ := outbox.Lookup(ctx, st, "", kalID); s.Status != tc.want {
			t.Fatalf("%s: status %q, want %q", tc.name, s.Status, tc.want)
		}
	}
	if s, err := outbox.Lookup(ctx, st, shopper, kalID); err != nil || s.ID != ids[0] {
		t.Fatalf("by message id for its shopper: %+v, %v", s, err)
	}
	if _, err := outbox.Lookup(ctx, st, "15550009999", kalID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("by message id for another shopper: %v, want store.ErrNotFound", err)
	}
}

// TestStatusByWamid checks a status callback whose Kaleyra id is not the id
// Kaleyra answered the send with: it is applied by Meta's wamid instead,
// to that message only.
func TestStatusByWamid(t *testing.T) {
	st := backends[0].open(t)
	k := kaleyratest.Run(t)
	k.SetRespond(func(_ int, r kaleyratest.Request) kaleyratest.Answer {
		return kaleyratest.Accept("wamid.meta-" + r.Ref()) // Meta's id, not Kaleyra's
	})
	ids := queue(t, st, "w1", "hello", "again")
	startRunner(t, st, k, 3)
	ctx := context.Background()
	eventually(t, "both sent", func() bool {
		s, err := st.Status(ctx, shopper, ids[1])
		return err == nil && s.Status == store.StatusSent
	})
	ev := whatsapp.Event{Kind: whatsapp.KindStatus, Status: &whatsapp.Status{
		KaleyraID: "kal-4711", MessageID: "wamid.meta-" + ids[1], Status: "delivered"}}
	if ok, err := (outbox.Statuses{Store: st}).RecordStatus(ctx, ev); !ok || err != nil {
		t.Fatalf("applied %v, %v; want applied by the wamid", ok, err)
	}
	for i, want := range []string{store.StatusSent, store.StatusDelivered} {
		if s, err := st.Status(ctx, shopper, ids[i]); err != nil || s.Status != want {
			t.Errorf("message %d: %+v, %v; want %s", i, s, err, want)
		}
	}
}

func TestNegativeSettingsRejected(t *testing.T) {
	base := outbox.Config{Store: outboxOnly{}, Sender: recordSender{}}
	tests := map[string]func(*outbox.Config){
		"workers":      func(c *outbox.Config) { c.Workers = -1 },
		"sends":        func(c *outbox.Config) { c.Sends = -1 },
		"max attempts": func(c *outbox.Config) { c.MaxAttempts = -1 },
		"backoff":      func(c *outbox.Config) { c.Backoff = -time.Second },
		"max backoff":  func(c *outbox.Config) { c.MaxBackoff = -time.Second },
		"poll":         func(c *outbox.Config) { c.Poll = -time.Second },
		"lease":        func(c *outbox.Config) { c.Lease = -time.Second },
		"sweep":        func(c *outbox.Config) { c.Sweep = -time.Second },
		"stats every":  func(c *outbox.Config) { c.StatsEvery = -time.Second },
	}
	if err := base.Validate(); err != nil {
		t.Fatalf("base config: %v", err)
	}
	for name, set := range tests {
		cfg := base
		set(&cfg)
		if err := cfg.Validate(); err == nil {
			t.Errorf("negative %s accepted", name)
		}
	}
}

// TestStatusErrorMasksPhones checks that a failure's reason, which Meta's
// titles may fill with a number, is recorded with the number masked, as
// every other text souk keeps about a shopper.
func TestStatusErrorMasksPhones(t *testing.T) {
	st := backends[0].open(t)
	k := kaleyratest.Run(t)
	k.SetRespond(func(_ int, r kaleyratest.Request) kaleyratest.Answer { return kaleyratest.Accept("kal-" + r.Ref()) })
	ids := queue(t, st, "w1", "hello")
	startRunner(t, st, k, 1)
	ctx := context.Background()
	eventually(t, "sent", func() bool {
		s, err := st.Status(ctx, shopper, ids[0])
		return err == nil && s.Status == store.StatusSent
	})
	ev := whatsapp.Event{Kind: whatsapp.KindStatus, From: shopper, Status: &whatsapp.Status{Ref: ids[0], Status: "failed",
		Code: "131047", Reason: "Re-engagement message for 919876543210"}}
	if ok, err := (outbox.Statuses{Store: st}).RecordStatus(ctx, ev); !ok || err != nil {
		t.Fatalf("applied %v, %v", ok, err)
	}
	s, err := st.Status(ctx, shopper, ids[0])
	if err != nil || s.Status != store.StatusFailed || strings.Contains(s.Error, "9876543210") || !strings.Contains(s.Error, "131047") {
		t.Fatalf("record %+v, %v; want failed, the code kept and the number masked", s, err)
	}
}

// TestAcceptedWithoutMessageID checks that a send Kaleyra accepts without
// a data.message_id (SPEC: success is 202 with one) is recorded sent and
// logged as a warning, since only its ref can match its statuses.
func TestAcceptedWithoutMessageID(t *testing.T) {
	st := backends[0].open(t)
	k := kaleyratest.Run(t)
	k.SetRespond(func(int, kaleyratest.Request) kaleyratest.Answer {
		return kaleyratest.Answer{Status: 202, Body: `{"code":"WA202","data":{},"error":{}}`}
	})
	ids := queue(t, st, "w1", "hello")
	client, err := kaleyra.New(kaleyra.Config{APIKey: "test-key", SID: "SID", Number: "919800011122", BaseURL: k.URL})
	if err != nil {
		t.Fatal(err)
	}
	logs := &bottest.Buffer{}
	run(t, outbox.Config{Workers: 1, Poll: 10 * time.Millisecond, Store: st, Sender: client, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	eventually(t, "sent", func() bool {
		s, err := st.Status(context.Background(), shopper, ids[0])
		return err == nil && s.Status == store.StatusSent && s.MessageID == ""
	})
	if !strings.Contains(logs.String(), "level=WARN msg=\"outbox: the send was accepted without a message_id") {
		t.Fatalf("no warning:\n%s", logs)
	}
}
