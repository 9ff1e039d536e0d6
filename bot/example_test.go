package bot_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/handlers"
	"github.com/souk-commerce/souk/store"
)

// printer is a Dispatcher that prints each text it is given.
type printer struct{}

func (printer) Dispatch(_ context.Context, msgs []whatsapp.Outbound) error {
	for _, m := range msgs {
		if t, ok := m.Message.(whatsapp.Text); ok {
			fmt.Println(t.Body)
		}
	}
	return nil
}

// An engine runs a flow whose state names a Go handler; the handler's vars
// persist in the store across messages.
func ExampleEngine_handler() {
	dir, _ := os.MkdirTemp("", "souk")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "flow.yaml")
	_ = os.WriteFile(path, []byte(`flow: counter
start: count
states:
  count:
    run: count
    send: [{text: "message number {{.Vars.n}}"}]
`), 0o644)
	reg := handlers.NewRegistry()
	reg.Register("count", handlers.Func(func(_ context.Context, c *handlers.Conversation) error {
		n, _ := c.Vars["n"].(float64)
		c.Set("n", n+1)
		return nil
	}))
	flow, diags := flows.Load(path, flows.Options{HasHandler: reg.Has})
	if diags.HasErrors() {
		fmt.Println(diags)
		return
	}
	st, _, _ := store.OpenEmbedded(store.Config{})
	defer st.Close()
	eng, _ := bot.New(bot.Config{Flow: flow, Store: st, Dispatcher: printer{}, Handlers: reg})
	for _, id := range []string{"wamid.1", "wamid.2", "wamid.2"} { // the last is a redelivery
		_, _ = eng.Handle(context.Background(), whatsapp.Event{Kind: whatsapp.KindText, ID: id, From: "919876543210", Text: "hi", Timestamp: time.Now()})
	}
	// Output:
	// message number 1
	// message number 2
}

// A session message is allowed only within 24 hours of the shopper's last
// message; a template always.
func ExampleCheckWindow() {
	last := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	now := last.Add(30 * time.Hour)
	fmt.Println(bot.CheckWindow("919876543210", last, now, whatsapp.Text{Body: "hi"}))
	fmt.Println(bot.CheckWindow("919876543210", last, now, whatsapp.Template{Name: "offer"}))
	// Output:
	// text message to 91*******210 refused: last message from the shopper 2026-03-01T09:00:00Z: outside the 24-hour customer-service window; only a template may be sent
	// <nil>
}
