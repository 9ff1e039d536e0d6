package webhook_test

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/webhook"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/store/storetest"
)

const benchFlow = `flow: bench
start: menu
states:
  menu:
    send:
      - text: "Hi {{.Contact.Name}}, pick one"
      - buttons:
          body: What now?
          buttons: [{id: a, title: A}, {id: b, title: B}]
    else: menu
`

// BenchmarkWebhookToOutbox measures POST /webhook -> move -> commit with
// the replies in the outbox, on the Redis of REDIS_URL, with 1, 16 and 256
// shoppers posting at once (one message in flight per shopper). Senders
// are not running: this is the intake side.
func BenchmarkWebhookToOutbox(b *testing.B) {
	url := storetest.RedisURL(b) // the benchmark needs a real Redis
	for _, shoppers := range []int{1, 16, 256} {
		b.Run(fmt.Sprintf("shoppers=%d", shoppers), func(b *testing.B) { benchIntake(b, url, shoppers) })
	}
}

func benchIntake(b *testing.B, url string, shoppers int) {
	st := storetest.OpenRedis(b, url, storetest.Prefix(), 1)[0]
	path := filepath.Join(b.TempDir(), "flow.yaml")
	_ = os.WriteFile(path, []byte(benchFlow), 0o644)
	flow, diags := flows.Load(path, flows.Options{})
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	eng, err := bot.New(bot.Config{Flow: flow, Store: st, Logger: log, Outbox: true})
	if err != nil {
		b.Fatal(err)
	}
	srv, err := webhook.New(webhook.Config{Engine: eng, Store: st, Logger: log})
	if err != nil {
		b.Fatal(err)
	}
	var n atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	for s := range shoppers {
		wg.Go(func() {
			phone := fmt.Sprintf("9197%08d", s)
			for {
				i := n.Add(1)
				if i > int64(b.N) {
					return
				}
				body := fmt.Sprintf(`{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"919800011122","phone_number_id":"555"},"contacts":[{"profile":{"name":"B"},"wa_id":%q}],"messages":[{"from":%q,"id":"wamid.%d","timestamp":"1700000000","type":"text","text":{"body":"hi"}}]}}]}]}`, phone, phone, i)
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/webhook", bytes.NewBufferString(body)))
				if rec.Code != http.StatusOK {
					b.Errorf("POST = %d %s", rec.Code, rec.Body)
					return
				}
			}
		})
	}
	wg.Wait()
}
