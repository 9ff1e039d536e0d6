package bot_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/handlers"
	"github.com/souk-commerce/souk/store"
	"github.com/souk-commerce/souk/store/storetest"
)

// MaxIdleFootprint is the target for one idle conversation in Redis.
const MaxIdleFootprint = 1024

// metaWamid is a random message id as long as Meta's.
func metaWamid() string {
	var b [24]byte
	_, _ = rand.Read(b[:])
	return "wamid.HBgM" + hex.EncodeToString(b[:])
}

// TestIdleConversationFootprint plays a whole pizzeria conversation on a
// real Redis (hello, tap pizzas, send a two-line cart, which stores the
// order and runs a handler), then measures every key the shopper left with
// MEMORY USAGE. The total must stay under 1 KiB, and every key must
// expire, so that an idle conversation disappears by itself.
func TestIdleConversationFootprint(t *testing.T) {
	url := storetest.RedisURL(t) // MEMORY USAGE needs a real Redis
	// A random prefix as long as the default "souk", so the sizes are those
	// a real deployment sees.
	st := storetest.OpenRedis(t, url, fmt.Sprintf("t%c%c%c", 'a'+mrand.IntN(26), 'a'+mrand.IntN(26), 'a'+mrand.IntN(26)), 1)[0]
	reg := handlers.NewRegistry()
	handlers.RegisterBuiltins(reg)
	flow := pizzeria(t)
	eng, err := bot.New(bot.Config{Flow: flow, Store: st, Dispatcher: discard{}, Handlers: reg,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	phone := "919876543210"
	cart := &whatsapp.Order{CatalogID: "1033000049", Items: []whatsapp.OrderItem{
		{ID: "pz-margherita", Quantity: 2, Price: 9.5, Currency: "EUR"}, {ID: "pz-diavola", Quantity: 1, Price: 11, Currency: "EUR"}}}
	script := []whatsapp.Event{
		{Kind: whatsapp.KindText, Text: "hello", Name: "Asha"},
		{Kind: whatsapp.KindListReply, ReplyID: "pizzas"},
		{Kind: whatsapp.KindOrder, Order: cart},
	}
	for _, ev := range script {
		ev.From, ev.ID, ev.Timestamp, ev.Envelope = phone, metaWamid(), time.Now(), whatsapp.EnvelopeMeta
		if res, err := eng.Handle(context.Background(), ev); err != nil || res.Sent == 0 {
			t.Fatalf("%s: %+v, %v", ev.Kind, res, err)
		}
	}
	keys, err := st.Footprint(context.Background(), phone)
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, k := range keys {
		total += k.Bytes
		t.Logf("%6d B  ttl %-10s %s", k.Bytes, k.TTL.Round(time.Second), k.Key)
		if k.TTL <= 0 || k.TTL > store.DefaultDedupTTL {
			t.Errorf("%s: TTL %s, want one between 0 and %s", k.Key, k.TTL, store.DefaultDedupTTL)
		}
	}
	t.Logf("total %d B in %d keys", total, len(keys))
	if len(keys) != 1+len(script) {
		t.Errorf("%d keys, want the conversation and %d seen ids", len(keys), len(script))
	}
	if total >= MaxIdleFootprint {
		t.Errorf("idle conversation takes %d B in Redis, want under %d", total, MaxIdleFootprint)
	}
}
