package bot_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/bottest"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/store/storetest"
)

func mustFlow(t *testing.T, name, src string) *flows.Flow {
	t.Helper()
	f, diags := flows.Parse(name, []byte(src), flows.Options{})
	if diags.HasErrors() {
		t.Fatalf("flow %s:\n%s", name, diags)
	}
	return f
}

func newEngine(t *testing.T, f *flows.Flow) (*bot.Engine, *bottest.Dispatcher, *bottest.Buffer) {
	t.Helper()
	st := storetest.Miniredis(t)
	rec, logs := &bottest.Dispatcher{}, &bottest.Buffer{}
	eng, err := bot.New(bot.Config{Flow: f, Store: st, Dispatcher: rec, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return eng, rec, logs
}

var msgN atomic.Int64

func text(from, body string) whatsapp.Event {
	return whatsapp.Event{Kind: whatsapp.KindText, ID: fmt.Sprintf("wamid.%d", msgN.Add(1)), From: from, Text: body, Timestamp: time.Now()}
}

func bodies(out []whatsapp.Outbound) []string {
	var s []string
	for _, o := range out {
		if m, ok := o.Message.(whatsapp.Text); ok {
			s = append(s, m.Body)
		}
	}
	return s
}

const shopper = "919876543210"

const flowOld = `
flow: old
start: welcome
states:
  welcome:
    send: [{text: old welcome}]
    on: {more: details}
  details:
    send: [{text: old details}]
`

const flowNew = `
flow: new
start: hello
states:
  hello:
    send: [{text: new hello}]
    on: {more: hello}
`

func TestSwappedFlowRestartsVanishedState(t *testing.T) {
	eng, rec, logs := newEngine(t, mustFlow(t, "old.yaml", flowOld))
	ctx := context.Background()
	for _, in := range []string{"hi", "more"} {
		if _, err := eng.Handle(ctx, text(shopper, in)); err != nil {
			t.Fatal(err)
		}
	}
	if got := bodies(rec.Take()); strings.Join(got, "|") != "old welcome|old details" {
		t.Fatalf("before the swap got %q", got)
	}
	eng.SetFlow(mustFlow(t, "new.yaml", flowNew))
	res, err := eng.Handle(ctx, text(shopper, "anything"))
	if err != nil {
		t.Fatal(err)
	}
	if res.From != "details" || res.To != "hello" || res.Trigger.Step != "start" {
		t.Errorf("got %+v, want from details to hello by start", res)
	}
	if got := bodies(rec.Take()); strings.Join(got, "|") != "new hello" {
		t.Errorf("after the swap got %q", got)
	}
	if !strings.Contains(logs.String(), "conversation state no longer in flow") || !strings.Contains(logs.String(), "state=details") {
		t.Errorf("restart not logged:\n%s", logs)
	}
}

// TestRenderedTooLongIsLoggedNotSent checks that a text whose rendered
// body breaks WhatsApp's limit is logged with its position and not sent,
// while the state's other message goes out.
func TestRenderedTooLongIsLoggedNotSent(t *testing.T) {
	src := `
flow: long
start: a
states:
  a:
    send:
      - text: "{{.Contact.Name}}{{.Contact.Name}}"
      - text: still sent
`
	eng, rec, logs := newEngine(t, mustFlow(t, "long.yaml", src))
	ev := text(shopper, "hi")
	ev.Name = strings.Repeat("é", 2049) // renders to 4098 characters
	if _, err := eng.Handle(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	if got := bodies(rec.Take()); strings.Join(got, "|") != "still sent" {
		t.Errorf("sent %q, want only the second message", got)
	}
	log := logs.String()
	for _, want := range []string{"level=ERROR", "breaks a WhatsApp limit", "at=long.yaml", "line=7", "col=9", "longer than 4096"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
}

// TestRenderedEmptyBodyIsLoggedNotSent checks that a product_list whose
// body renders empty is not sent without one: WhatsApp requires it.
func TestRenderedEmptyBodyIsLoggedNotSent(t *testing.T) {
	src := `
flow: empty
start: a
catalog: "123"
states:
  a:
    send:
      - product_list: {header: Ours, body: "{{.Vars.nothing}}", sections: [{title: A, products: [p1]}]}
      - text: still sent
`
	eng, rec, logs := newEngine(t, mustFlow(t, "empty.yaml", src))
	if _, err := eng.Handle(context.Background(), text(shopper, "hi")); err != nil {
		t.Fatal(err)
	}
	if got := bodies(rec.Take()); strings.Join(got, "|") != "still sent" {
		t.Errorf("sent %q, want only the text", got)
	}
	log := logs.String()
	for _, want := range []string{"level=ERROR", "breaks a WhatsApp limit", "at=empty.yaml", "line=8", "body is required"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
}

// TestAllDroppedSendsErrorText checks that a move whose every message is
// dropped answers with the flow's error_text rather than silence, and says
// how many were dropped.
func TestAllDroppedSendsErrorText(t *testing.T) {
	src := `
flow: dropped
start: a
error_text: "Sorry {{.Contact.Name}}, try again"
states:
  a:
    send:
      - text: "{{.Contact.Name}}{{.Contact.Name}}"
`
	eng, rec, _ := newEngine(t, mustFlow(t, "dropped.yaml", src))
	ev := text(shopper, "hi")
	ev.Name = strings.Repeat("é", 2049)
	res, err := eng.Handle(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	got := bodies(rec.Take())
	if len(got) != 1 || !strings.HasPrefix(got[0], "Sorry é") || res.Dropped != 1 {
		t.Errorf("sent %q, dropped %d; want only the error text, one dropped", got, res.Dropped)
	}
}
