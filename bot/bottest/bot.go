package bottest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/kaleyra/kaleyratest"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/handlers"
	"github.com/souk-commerce/souk/store"
)

// Defaults of a Bot and its shoppers.
const (
	DefaultBusiness = "15550000000" // the business number: send path and catalogue links
	DefaultPhone    = "15550001111" // a shopper's number when none is given
	DefaultName     = "Alex"        // a shopper's profile name when none is given
	SID             = "SOUKTEST"    // the account SID in every send path
	WABAID          = "WABATEST"    // the WABA id in template send paths
)

// Config configures a Bot; the zero value is usable.
type Config struct {
	// Handlers holds the Go handlers the flow runs; nil means none.
	Handlers *handlers.Registry
	// Business is the business number; empty means DefaultBusiness.
	Business string
	// Start is where the clock starts; zero means Epoch.
	Start time.Time
	// Logger receives the engine's log; nil discards it.
	Logger *slog.Logger
}

// Bot is a flow running on an in-process store with a fake clock, sending
// through the real Kaleyra client to a fake Kaleyra API. It is meant for one
// test; Close frees it. Its Shopper methods are for one goroutine at a time,
// as a Reply holds whatever was sent while it was made; to play shoppers
// at once, call Engine.Handle from several goroutines and read what
// Kaleyra got.
type Bot struct {
	Engine  *bot.Engine
	Store   *store.Redis
	Kaleyra *kaleyratest.Server
	Clock   *Clock
	Flow    *flows.Flow

	sender *recorder
	nextID int
}

// New builds a Bot for a compiled flow.
func New(f *flows.Flow, cfg Config) (*Bot, error) {
	if f == nil {
		return nil, errors.New("bottest: nil flow")
	}
	if cfg.Business == "" {
		cfg.Business = DefaultBusiness
	}
	if cfg.Start.IsZero() {
		cfg.Start = Epoch
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	st, _, err := store.OpenEmbedded(store.Config{})
	if err != nil {
		return nil, err
	}
	b := &Bot{Store: st, Kaleyra: kaleyratest.New(), Clock: NewClock(cfg.Start), Flow: f}
	client, err := kaleyra.New(kaleyra.Config{APIKey: "souk-test-key", SID: SID, Number: cfg.Business, WABAID: WABAID,
		BaseURL: "http://kaleyra.test", HTTPClient: b.Kaleyra.Client()})
	if err != nil {
		st.Close()
		return nil, err
	}
	b.sender = &recorder{next: client, mock: b.Kaleyra}
	b.Engine, err = bot.New(bot.Config{Flow: f, Store: st, Handlers: cfg.Handlers, Logger: cfg.Logger, Clock: b.Clock.Now,
		Dispatcher: bot.Direct{Sender: b.sender, Log: cfg.Logger}, BusinessNumber: cfg.Business})
	if err != nil {
		st.Close()
		return nil, err
	}
	return b, nil
}

// Load loads the flow in path, checking handler names against
// cfg.Handlers, and builds a Bot for it. A flow with errors fails with its
// diagnostics.
func Load(path string, cfg Config) (*Bot, error) {
	reg := cfg.Handlers
	if reg == nil {
		reg = handlers.NewRegistry()
	}
	f, diags := flows.Load(path, flows.Options{HasHandler: reg.Has})
	if diags.HasErrors() {
		return nil, diags.Errors()
	}
	return New(f, cfg)
}

// Start is Load for a test: it fails t on error and closes the Bot when
// the test ends.
func Start(t testing.TB, path string, cfg Config) *Bot {
	t.Helper()
	b, err := Load(path, cfg)
	if err != nil {
		t.Fatalf("bottest: %v", err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// Close stops the in-process store.
func (b *Bot) Close() error { return b.Store.Close() }

// Handle applies one event, filling in an id and the clock's time when the
// event has none, and returns what was sent for it.
func (b *Bot) Handle(ev whatsapp.Event) Reply {
	if ev.ID == "" && ev.Kind != whatsapp.KindStatus {
		b.nextID++
		ev.ID = fmt.Sprintf("wamid.test.%d", b.nextID)
	}
	if ev.Timestamp.IsZero() {
		ev.Timestamp = b.Clock.Now()
	}
	mark := b.sender.mark()
	res, err := b.Engine.Handle(context.Background(), ev)
	return Reply{Result: res, Err: err, Sent: b.sender.since(mark)}
}

// Webhook decodes a raw webhook body (Meta or Kaleyra envelope) and applies
// every event in it, in order, as the webhook server would; the Reply holds
// everything sent and the last event's result.
func (b *Bot) Webhook(body []byte) (Reply, error) {
	events, err := whatsapp.Decode(body)
	if err != nil {
		return Reply{}, err
	}
	var all Reply
	for _, ev := range events {
		mark := b.sender.mark()
		res, err := b.Engine.Handle(context.Background(), ev)
		all.Result, all.Sent = res, append(all.Sent, b.sender.since(mark)...)
		if err != nil {
			all.Err = err
			break
		}
	}
	return all, nil
}

// Wait moves the clock forward by d, running on the way, each at its own
// time, the idle timers that run out (a state's `idle`), as `souk serve`
// would; the Reply holds what they sent and the last reminder's result.
func (b *Bot) Wait(d time.Duration) Reply {
	end := b.Clock.Now().Add(d)
	mark := b.sender.mark()
	moved, err := b.Engine.IdleUntil(context.Background(), b.Store, end, func(t time.Time) { b.Clock.Advance(t.Sub(b.Clock.Now())) })
	all := Reply{Err: err, Sent: b.sender.since(mark)}
	if len(moved) > 0 {
		all.Result = moved[len(moved)-1]
	}
	if rest := end.Sub(b.Clock.Now()); rest > 0 {
		b.Clock.Advance(rest)
	}
	return all
}

// Conversation loads phone's conversation from the store.
func (b *Bot) Conversation(phone string) store.Conversation {
	c, err := b.Store.Load(context.Background(), whatsapp.ShopperID(phone))
	if err != nil {
		panic(fmt.Sprintf("bottest: loading conversation: %v", err))
	}
	return c
}

// Seed stores a conversation for phone in state with vars, as if the
// shopper had just been active there.
func (b *Bot) Seed(phone, name, state string, vars map[string]any) error {
	c := b.Conversation(phone)
	c.Name, c.State, c.Vars, c.LastActive = name, state, vars, b.Clock.Now()
	return b.Store.Commit(context.Background(), store.Commit{Conversation: c, TTL: b.Flow.SessionTTL})
}
