package outbox_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/kaleyra/kaleyratest"
	"github.com/souk-commerce/souk/bot/outbox"
	"github.com/souk-commerce/souk/bot/whatsapp"
)

// panicky panics on the text "boom" and otherwise sends through next.
type panicky struct{ next kaleyra.Sender }

func (p panicky) Send(ctx context.Context, out whatsapp.Outbound) (kaleyra.Result, error) {
	if t, ok := out.Message.(whatsapp.Text); ok && t.Body == "boom" {
		panic("label value for " + out.To + " is not valid UTF-8")
	}
	return p.next.Send(ctx, out)
}

// TestSenderPanicContained checks that a Sender that panics on one message
// costs that message alone: it is dead-lettered, the process goes on, and
// the shopper's later replies are sent in order.
func TestSenderPanicContained(t *testing.T) {
	st := backends[0].open(t)
	k := kaleyratest.Run(t)
	client, err := kaleyra.New(kaleyra.Config{APIKey: "test-key", SID: "SID", Number: "919800011122", BaseURL: k.URL})
	if err != nil {
		t.Fatal(err)
	}
	queue(t, st, "w1", "before", "boom", "after")
	run(t, outbox.Config{Store: st, Sender: panicky{next: client}, Logger: quiet(), Workers: 2,
		MaxAttempts: 5, Backoff: 5 * time.Millisecond, MaxBackoff: 20 * time.Millisecond, Poll: 10 * time.Millisecond})
	eventually(t, "the other replies delivered", func() bool { return len(k.Texts(shopper)) == 2 })
	if got := k.Texts(shopper); !slices.Equal(got, []string{"before", "after"}) {
		t.Fatalf("delivered %v, want [before after]", got)
	}
	dls, err := st.DeadLetters(context.Background(), 10)
	if err != nil || len(dls) != 1 || !strings.Contains(dls[0].Reason, "the sender panicked") || dls[0].Message.Attempts != 1 {
		t.Fatalf("dead letters = %+v, %v; want the one reply, after one attempt", dls, err)
	}
	if strings.Contains(dls[0].Reason, shopper) {
		t.Errorf("the reason names the shopper's number: %q", dls[0].Reason)
	}
}
