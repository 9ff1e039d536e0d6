package bottest_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/souk-commerce/souk/bot/bottest"
	"github.com/souk-commerce/souk/bot/kaleyra/kaleyratest"
	"github.com/souk-commerce/souk/bot/whatsapp"
)

func TestWebhookEnvelopes(t *testing.T) {
	tests := []struct {
		name string
		file string
	}{
		{name: "meta", file: "meta_text.json"},
		{name: "kaleyra", file: "kaleyra_text.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := bottest.New(mustFlow(), bottest.Config{Handlers: registry()})
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			body, err := os.ReadFile(filepath.Join("..", "whatsapp", "testdata", "inbound", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			r, err := b.Webhook(body)
			if err != nil {
				t.Fatal(err)
			}
			bottest.AssertSent(t, r, bottest.Want{Kind: "buttons", Buttons: []string{"tea", "cake"}})
			if r.Sent[0].View.To != r.Result.Phone || r.Result.To != "menu" {
				t.Errorf("sent to %s, result %+v", r.Sent[0].View.To, r.Result)
			}
			again, _ := b.Webhook(body)
			if !again.Result.Duplicate || len(again.Sent) != 0 {
				t.Errorf("the same body twice: %+v, want a duplicate that sends nothing", again.Result)
			}
		})
	}
}

func TestSeedAndFailedSend(t *testing.T) {
	b := newBot(t)
	s := b.Shopper("", "")
	if err := b.Seed(s.Phone, s.Name, "cake", map[string]any{"visits": 3}); err != nil {
		t.Fatal(err)
	}
	b.Kaleyra.FailNext(kaleyratestFailure("E110"))
	r := s.Cart(whatsapp.OrderItem{ID: "ck-choc", Quantity: 1, Price: 4, Currency: "EUR"})
	bottest.AssertKinds(t, r, "text", "text")
	if r.Sent[0].Err == nil || r.Sent[1].Err != nil {
		t.Errorf("send errors = %v, %v; want the first to fail with E110", r.Sent[0].Err, r.Sent[1].Err)
	}
	bottest.AssertState(t, s, "thanks")
	if v := s.Vars(); v["visits"] != float64(3) || v["items"] != float64(1) {
		t.Errorf("vars = %v", v)
	}
}

func newBot(t *testing.T) *bottest.Bot {
	b, err := bottest.New(mustFlow(), bottest.Config{Handlers: registry()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func kaleyratestFailure(code string) kaleyratest.Failure { return kaleyratest.Failure{Code: code} }
