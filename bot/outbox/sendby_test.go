package outbox_test

import (
	"context"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/kaleyra/kaleyratest"
	"github.com/souk-commerce/souk/bot/outbox"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/store"
)

// TestSendByPassed checks that a reply whose shopper's 24-hour window
// closed while it waited in the outbox is dead-lettered, not sent, and
// that the replies behind it still go out in order.
func TestSendByPassed(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			st := b.open(t)
			k := kaleyratest.Run(t)
			ctx := context.Background()
			conv, err := st.Load(ctx, shopper)
			if err != nil {
				t.Fatal(err)
			}
			var out []store.OutMessage
			for _, m := range []whatsapp.Outbound{
				{ID: "late", To: shopper, Message: whatsapp.Text{Body: "late"}, SendBy: time.Now().Add(-time.Minute)},
				{ID: "template", To: shopper, Message: whatsapp.Text{Body: "no deadline"}},
				{ID: "timely", To: shopper, Message: whatsapp.Text{Body: "timely"}, SendBy: time.Now().Add(time.Hour)},
			} {
				e, err := outbox.Encode(m)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, e)
			}
			conv.State = "s"
			if err := st.Commit(ctx, store.Commit{Conversation: conv, MessageID: "w1", TTL: time.Hour, Outbox: out}); err != nil {
				t.Fatal(err)
			}
			startRunner(t, st, k, 6)
			eventually(t, "the timely replies delivered", func() bool { return len(k.Texts(shopper)) == 2 })
			if got := k.Texts(shopper); !slices.Equal(got, []string{"no deadline", "timely"}) {
				t.Fatalf("delivered %v, want [no deadline timely]", got)
			}
			dls, err := st.DeadLetters(ctx, 10)
			if err != nil || len(dls) != 1 || dls[0].Message.ID != "late" || !strings.Contains(dls[0].Reason, "window closed") {
				t.Fatalf("dead letters = %+v, %v; want the late reply, for the window", dls, err)
			}
			if dls[0].Message.Attempts != 1 {
				t.Errorf("the late reply counts %d attempts, want 1 (none reached Kaleyra)", dls[0].Message.Attempts)
			}
			// Re-driven once the shopper wrote again, it is sent.
			if err := st.Redrive(ctx, dls[0].StreamID); err != nil {
				t.Fatal(err)
			}
			eventually(t, "the re-driven reply delivered", func() bool { return len(k.Texts(shopper)) == 3 })
			if got := k.Texts(shopper); got[2] != "late" {
				t.Fatalf("delivered %v, want late last", got)
			}
		})
	}
}

// TestSendByKept checks that SendBy survives the outbox's encoding.
func TestSendByKept(t *testing.T) {
	by := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	e, err := outbox.Encode(whatsapp.Outbound{ID: "m", To: shopper, Message: whatsapp.Text{Body: "hi"}, SendBy: by})
	if err != nil {
		t.Fatal(err)
	}
	back, err := outbox.Decode(e)
	if err != nil || !back.SendBy.Equal(by) {
		t.Fatalf("decoded SendBy %v, %v; want %v", back.SendBy, err, by)
	}
	none, _ := outbox.Encode(whatsapp.Outbound{ID: "m", To: shopper, Message: whatsapp.Text{Body: "hi"}})
	if strings.Contains(string(none.Payload), "send_by") {
		t.Errorf("payload without a deadline names one: %s", none.Payload)
	}
}

// TestSendByPassedWhileWaitingForTurn checks that a reply whose window
// closes while it waits for one of the Sends sends in flight is
// dead-lettered when its turn comes, not sent.
func TestSendByPassedWhileWaitingForTurn(t *testing.T) {
	st := backends[0].open(t)
	var now atomic.Int64 // the runner's clock, ahead of the store's so that what is queued is due
	now.Store(time.Now().Add(time.Minute).UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()) }
	s := &heldSender{open: make(chan struct{})}
	cfg := outbox.Config{Store: st, Sender: s, Logger: quiet(), Workers: 2, Sends: 1,
		Poll: 5 * time.Millisecond, Clock: clock, Lease: time.Hour}
	const first, late = "919876500001", "919876500002"
	var waiting atomic.Bool
	defer outbox.OnTurnWait(func(to string) {
		if to == late {
			waiting.Store(true)
		}
	})()
	commit(t, st, first, "w1", 0, "first")
	r := run(t, cfg)
	eventually(t, "the first send in flight", func() bool { return s.inflight.Load() == 1 })
	ctx := context.Background()
	conv, _ := st.Load(ctx, late)
	m, err := outbox.Encode(whatsapp.Outbound{ID: "late", To: late, Message: whatsapp.Text{Body: "late"}, SendBy: clock().Add(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	conv.State = "s"
	if err := st.Commit(ctx, store.Commit{Conversation: conv, MessageID: "w2", TTL: time.Hour, Outbox: []store.OutMessage{m}}); err != nil {
		t.Fatal(err)
	}
	r.Hint(late)
	eventually(t, "the late reply waiting behind the first send", waiting.Load)
	now.Add(int64(2 * time.Minute)) // its window closes meanwhile
	s.open <- struct{}{}
	eventually(t, "the late reply dead-lettered", func() bool {
		dls, _ := st.DeadLetters(ctx, 10)
		return len(dls) == 1 && dls[0].Message.ID == "late" && strings.Contains(dls[0].Reason, "window closed")
	})
	if got, _ := st.Status(ctx, late, "late"); got.Status != store.StatusDead {
		t.Errorf("late reply status %q, want dead", got.Status)
	}
}

// TestQueuedPastSendBy checks that a reply queued after its SendBy (one
// the window refused when its move was made) is dead-lettered even by a
// sender whose clock says the window is still open, as a clock behind the
// committing server's would.
func TestQueuedPastSendBy(t *testing.T) {
	st := backends[0].open(t)
	k := kaleyratest.Run(t)
	ctx := context.Background()
	conv, err := st.Load(ctx, shopper)
	if err != nil {
		t.Fatal(err)
	}
	by := time.Now().Add(time.Hour) // to this sender's clock, not yet passed
	e, err := outbox.Encode(whatsapp.Outbound{ID: "refused", To: shopper, Message: whatsapp.Text{Body: "refused"}, SendBy: by})
	if err != nil {
		t.Fatal(err)
	}
	e.Queued = by.Add(time.Second) // committed once the window had closed, by the committing server's clock
	conv.State = "s"
	if err := st.Commit(ctx, store.Commit{Conversation: conv, MessageID: "w1", TTL: time.Hour, Outbox: []store.OutMessage{e}}); err != nil {
		t.Fatal(err)
	}
	startRunner(t, st, k, 6)
	eventually(t, "the refused reply dead-lettered", func() bool {
		dls, _ := st.DeadLetters(ctx, 10)
		return len(dls) == 1 && dls[0].Message.ID == "refused"
	})
	if n := k.Len(); n != 0 {
		t.Errorf("Kaleyra got %d requests, want none", n)
	}
}
