package bot_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/outbox"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/handlers"
	"github.com/souk-commerce/souk/store"
	"github.com/souk-commerce/souk/store/storetest"
)

// MaxIdleFootprint is the target for one idle conversation in Redis.
const MaxIdleFootprint = 1024

// MaxSentRecords bounds what one sent reply leaves in Redis for the status
// TTL: its status record and its two index entries (376 B when measured).
const MaxSentRecords = 400

// metaWamid is a random message id as long as Meta's.
func metaWamid() string {
	var b [24]byte
	_, _ = rand.Read(b[:])
	return "wamid.HBgM" + hex.EncodeToString(b[:])
}

// TestIdleConversationFootprint plays a whole pizzeria conversation on a
// real Redis (hello, tap pizzas, send a two-line cart, which stores the
// order and runs a handler) with the replies going through the outbox and
// a sender, waits until every reply was sent, then measures every key the
// shopper left with MEMORY USAGE: the conversation, the dedup keys, the
// status records of the sent replies and their index entries. Every key
// must expire, so that an idle conversation disappears by itself. The
// conversation with its dedup keys must stay under 1 KiB, and each sent
// reply's records under MaxSentRecords.
func TestIdleConversationFootprint(t *testing.T) {
	url := storetest.RedisURL(t) // MEMORY USAGE needs a real Redis
	// A random prefix as long as the default "souk", so the sizes are those
	// a real deployment sees.
	st := storetest.OpenRedis(t, url, fmt.Sprintf("t%c%c%c", 'a'+mrand.IntN(26), 'a'+mrand.IntN(26), 'a'+mrand.IntN(26)), 1)[0]
	reg := handlers.NewRegistry()
	handlers.RegisterBuiltins(reg)
	flow := pizzeria(t)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	runner, err := outbox.New(outbox.Config{Store: st, Sender: wamidSender{}, Logger: quiet, Poll: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	runner.Start()
	defer func() { _ = runner.Stop(context.Background()) }()
	eng, err := bot.New(bot.Config{Flow: flow, Store: st, Outbox: true, Dispatcher: runner, Handlers: reg, Logger: quiet})
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
	ctx := context.Background()
	sent := 0
	for _, ev := range script {
		ev.From, ev.ID, ev.Timestamp, ev.Envelope = phone, metaWamid(), time.Now(), whatsapp.EnvelopeMeta
		res, err := eng.Handle(ctx, ev)
		if err != nil || res.Sent == 0 {
			t.Fatalf("%s: %+v, %v", ev.Kind, res, err)
		}
		sent += res.Sent
	}
	// The conversation, one dedup key per message, and per sent reply its
	// status record, its id index entry and its Kaleyra message_id entry;
	// the outbox itself and its lease are gone after delivery.
	want := 1 + len(script) + 3*sent
	var keys []store.KeyUsage
	for deadline := time.Now().Add(10 * time.Second); ; {
		keys, err = st.Footprint(ctx, phone)
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) == want && delivered(keys) || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	var total, conv int64
	for _, k := range keys {
		total += k.Bytes
		if strings.HasSuffix(k.Key, ":conv") || strings.Contains(k.Key, ":seen:") {
			conv += k.Bytes
		}
		t.Logf("%6d B  ttl %-10s %s", k.Bytes, k.TTL.Round(time.Second), k.Key)
		if k.TTL <= 0 || k.TTL > store.DefaultDedupTTL {
			t.Errorf("%s: TTL %s, want one between 0 and %s", k.Key, k.TTL, store.DefaultDedupTTL)
		}
	}
	t.Logf("total %d B in %d keys: conversation and dedup %d B, %d sent replies' records and index %d B",
		total, len(keys), conv, sent, total-conv)
	if !delivered(keys) || len(keys) != want {
		t.Errorf("%d keys, want %d (conversation, %d seen ids, 3 per sent reply)", len(keys), want, len(script))
	}
	if per := (total - conv) / int64(max(sent, 1)); per > MaxSentRecords {
		t.Errorf("each sent reply leaves %d B of records and index in Redis, want at most %d", per, MaxSentRecords)
	}
	if conv >= MaxIdleFootprint {
		t.Errorf("idle conversation takes %d B in Redis, want under %d", conv, MaxIdleFootprint)
	}
}

// delivered reports that no outbox or lease is left among keys.
func delivered(keys []store.KeyUsage) bool {
	for _, k := range keys {
		if strings.HasSuffix(k.Key, ":out") || strings.HasSuffix(k.Key, ":lease") {
			return false
		}
	}
	return true
}

// wamidSender accepts every message with a Meta-length message id, as
// Kaleyra answers.
type wamidSender struct{}

func (wamidSender) Send(context.Context, whatsapp.Outbound) (kaleyra.Result, error) {
	return kaleyra.Result{MessageID: metaWamid(), Status: 202}, nil
}
