package cli_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/cli/clitest"
	"github.com/souk-commerce/souk/internal/testwait"
	"github.com/souk-commerce/souk/store"
	"github.com/souk-commerce/souk/store/storetest"
)

const idleServeFlow = `flow: idle-e2e
start: browse
states:
  browse:
    send: [{text: Our teas}]
    idle: {after: 1h, to: nudge}
  nudge:
    send: [{text: "Still there?"}]
`

// TestServeRunsIdleTimers checks that `souk serve` runs the idle timers of
// the Redis it shares: a conversation whose timer ran out (set here in the
// store, as an hour of silence would leave it) is reminded, once, through
// the outbox and the real Kaleyra client.
func TestServeRunsIdleTimers(t *testing.T) {
	url, prefix := storetest.RedisURL(t), storetest.Prefix()
	st := storetest.OpenRedis(t, url, prefix, 1)[0]
	flow := clitest.WriteFlow(t, idleServeFlow)
	k := clitest.NewKaleyra(t)
	srv := clitest.Serve(t, nil, k.Env(map[string]string{"SOUK_FLOW": flow, "REDIS_URL": url, "SOUK_REDIS_PREFIX": prefix}))
	srv.Text(t, "wamid.idle.1", "hi")
	if got := clitest.Texts(k.Wait(t, 1)); len(got) != 1 || got[0] != "Our teas" {
		t.Fatalf("first reply %q", got)
	}

	ctx := context.Background()
	c, err := st.Load(ctx, clitest.Shopper)
	if err != nil || c.State != "browse" || c.IdleAt.IsZero() {
		t.Fatalf("conversation %+v, %v: want browse with an idle timer", c, err)
	}
	c.IdleAt = time.Now().Add(-time.Second)
	if err := st.Commit(ctx, store.Commit{Conversation: c, TTL: time.Hour}); err != nil {
		t.Fatal(err)
	}
	if got := clitest.Texts(k.Wait(t, 1)); len(got) != 1 || got[0] != "Still there?" {
		t.Fatalf("reminder %q", got)
	}
	testwait.Until(t, "the conversation in nudge", 5*time.Second, func() bool {
		c, err := st.Load(ctx, clitest.Shopper)
		return err == nil && c.State == "nudge"
	})
	if n := k.Len(); n != 0 {
		t.Fatalf("%d more requests after the reminder", n)
	}
}

const templateReminderFlow = `flow: template-reminder-e2e
start: browse
catalog: "1033000049"
session_ttl: 72h
states:
  browse:
    send: [{text: Our teas}]
    idle: {after: 1h, to: next_day}
  next_day:
    send:
      - template: {name: cart_reminder, language: en, product: tea-assam, body: ["{{.Contact.Name}}"]}
`

// TestServeSendsATemplateReminderPastTheWindow checks that `souk serve`
// sends a reminder made only of templates after WhatsApp's 24-hour window
// has closed (the shopper last wrote 25 hours ago, set here in the store),
// through the outbox, whose senders refuse session messages by then, and
// the real Kaleyra client.
func TestServeSendsATemplateReminderPastTheWindow(t *testing.T) {
	url, prefix := storetest.RedisURL(t), storetest.Prefix()
	st := storetest.OpenRedis(t, url, prefix, 1)[0]
	flow := clitest.WriteFlow(t, templateReminderFlow)
	k := clitest.NewKaleyra(t)
	srv := clitest.Serve(t, nil, k.Env(map[string]string{"SOUK_FLOW": flow, "REDIS_URL": url, "SOUK_REDIS_PREFIX": prefix}))
	srv.Text(t, "wamid.late.1", "hi")
	k.Wait(t, 1)

	ctx := context.Background()
	c, err := st.Load(ctx, clitest.Shopper)
	if err != nil || c.IdleAt.IsZero() {
		t.Fatalf("conversation %+v, %v: want an idle timer", c, err)
	}
	c.LastInbound = time.Now().Add(-25 * time.Hour)
	c.IdleAt = time.Now().Add(-time.Second)
	if err := st.Commit(ctx, store.Commit{Conversation: c, TTL: time.Hour}); err != nil {
		t.Fatal(err)
	}
	got := k.Wait(t, 1)[0]
	for _, want := range []string{`"type":"template"`, `"name":"cart_reminder"`, `"product_retailer_id":"tea-assam"`} {
		if !strings.Contains(string(got.Body), want) {
			t.Errorf("reminder lacks %s: %s", want, got.Body)
		}
	}
	testwait.Until(t, "the conversation in next_day", 5*time.Second, func() bool {
		c, err := st.Load(ctx, clitest.Shopper)
		return err == nil && c.State == "next_day" && c.IdleAt.IsZero()
	})
}

const gatherServeFlow = `flow: gather-e2e
start: ask
states:
  ask:
    send: [{text: "Where to?"}]
    save: address
    gather: 1s
    text: done
  done:
    send: [{text: "To {{.Vars.address}}"}]
`

// TestServeGathersAnAnswer checks that `souk serve` holds an answer typed
// in two webhooks and sends it on whole once a second passes with nothing
// more typed, through the outbox and the real Kaleyra client.
func TestServeGathersAnAnswer(t *testing.T) {
	url, prefix := storetest.RedisURL(t), storetest.Prefix()
	storetest.OpenRedis(t, url, prefix, 1) // cleans the prefix up afterwards
	flow := clitest.WriteFlow(t, gatherServeFlow)
	k := clitest.NewKaleyra(t)
	srv := clitest.Serve(t, nil, k.Env(map[string]string{"SOUK_FLOW": flow, "REDIS_URL": url, "SOUK_REDIS_PREFIX": prefix}))
	srv.Text(t, "wamid.gather.1", "hi")
	if got := clitest.Texts(k.Wait(t, 1)); len(got) != 1 || got[0] != "Where to?" {
		t.Fatalf("first reply %q", got)
	}
	srv.Text(t, "wamid.gather.2", "12 Baker Street")
	srv.Text(t, "wamid.gather.3", "London")
	if got := clitest.Texts(k.Wait(t, 1)); len(got) != 1 || got[0] != "To 12 Baker Street\nLondon" {
		t.Fatalf("reply to the answer %q", got)
	}
}
