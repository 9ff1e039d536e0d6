package bot_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/handlers"
	"github.com/souk-commerce/souk/store"
	"github.com/souk-commerce/souk/store/storetest"
)

func pizzeria(tb testing.TB) *flows.Flow {
	tb.Helper()
	reg := handlers.NewRegistry()
	handlers.RegisterBuiltins(reg)
	f, diags := flows.Load("../examples/pizzeria/flow.yaml", flows.Options{HasHandler: reg.Has})
	if diags.HasErrors() {
		tb.Fatal(diags)
	}
	return f
}

// BenchmarkResolve picks the trigger for a tap, a keyword and an
// unmatched text in a live conversation.
func BenchmarkResolve(b *testing.B) {
	f := pizzeria(b)
	now := time.Now()
	conv := store.Conversation{Phone: "919876543210", State: "welcome", LastActive: now, Version: 3}
	for _, tt := range []struct {
		name string
		ev   whatsapp.Event
	}{
		{"tap", whatsapp.Event{Kind: whatsapp.KindListReply, ReplyID: "pizzas"}},
		{"keyword", whatsapp.Event{Kind: whatsapp.KindText, Text: "Menu "}},
		{"reenter", whatsapp.Event{Kind: whatsapp.KindText, Text: "something else"}},
	} {
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bot.Resolve(f, conv, tt.ev, now)
			}
		})
	}
}

type discard struct{}

func (discard) Dispatch(context.Context, []whatsapp.Outbound) error { return nil }

// BenchmarkHandle is one whole move on REDIS_URL, or else the embedded Redis: dedup check,
// load, trigger, fsm transition, rendering and commit of a tap that leads
// from the menu to the product list, replies dispatched nowhere.
func BenchmarkHandle(b *testing.B) {
	st := storetest.OpenRedis(b, os.Getenv("REDIS_URL"), storetest.Prefix(), 1)[0]
	eng, err := bot.New(bot.Config{Flow: pizzeria(b), Store: st, Dispatcher: discard{},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		phone := "9198" + strconv.Itoa(10000000+i)
		hello := whatsapp.Event{Kind: whatsapp.KindText, From: phone, ID: "a" + phone, Text: "hi", Timestamp: time.Now()}
		tap := whatsapp.Event{Kind: whatsapp.KindListReply, From: phone, ID: "b" + phone, ReplyID: "pizzas", Timestamp: time.Now()}
		for _, ev := range []whatsapp.Event{hello, tap} {
			if res, err := eng.Handle(ctx, ev); err != nil || res.Sent != 1 {
				b.Fatal(res, err)
			}
		}
	}
}
