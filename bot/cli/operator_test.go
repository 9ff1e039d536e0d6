package cli_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/cli"
	"github.com/souk-commerce/souk/bot/cli/clitest"
	"github.com/souk-commerce/souk/handlers"
	"github.com/souk-commerce/souk/store"
	"github.com/souk-commerce/souk/store/storetest"
)

func runOperator(env map[string]string, args ...string) (int, string) {
	var out bytes.Buffer
	reg := handlers.NewRegistry()
	handlers.RegisterBuiltins(reg)
	code := cli.Run(context.Background(), &cli.Env{Stdout: &out, Stderr: &out, Handlers: reg,
		Getenv: func(k string) string { return env[k] }}, args)
	return code, out.String()
}

func TestSendCommand(t *testing.T) {
	k := clitest.NewKaleyra(t)
	env := k.Env(map[string]string{"SOUK_FLOW": "../../examples/pizzeria/flow.yaml"})
	tests := []struct {
		name string
		args []string
		code int
		out  string
		reqs int
	}{
		{"template", []string{"send", "--template", "pizza_of_the_week", "--language", "en_US", "--product", "pz-diavola",
			"--param", "Asha", "--param", "20%", "+" + clitest.Shopper}, 0, "sent pizza_of_the_week to 91*******210", 1},
		{"missing product", []string{"send", "--template", "t", "--language", "en", clitest.Shopper}, 2, "--product is required", 0},
		{"missing two", []string{"send", "--template", "t", clitest.Shopper}, 2, "--language and --product are required", 0},
		{"no phone", []string{"send", "--template", "t", "--language", "en", "--product", "p"}, 2, "give exactly one PHONE", 0},
		{"bad phone", []string{"send", "--template", "t", "--language", "en", "--product", "pz-diavola", "12"}, 1, "not an E.164 phone number", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out := runOperator(env, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.out) {
				t.Fatalf("exit %d, output:\n%s", code, out)
			}
			if strings.Contains(out, "webhooks are unauthenticated") {
				t.Fatalf("souk send, which serves no webhooks, warned about them:\n%s", out)
			}
			reqs := k.Wait(t, tt.reqs)
			if tt.reqs == 1 && (reqs[0].Path != "/v2/HXAP1/whatsapp/waba-1/messages" ||
				!strings.Contains(string(reqs[0].Body), `"catalog_id":"1033000049"`) || !strings.Contains(string(reqs[0].Body), `"text":"20%"`)) {
				t.Fatalf("request %s %s", reqs[0].Path, reqs[0].Body)
			}
		})
	}
}

// TestSendUsesServesStore checks that souk send writes where serve reads:
// under SOUK_REDIS_PREFIX, not the default prefix.
func TestSendUsesServesStore(t *testing.T) {
	url := os.Getenv("REDIS_URL")
	if url == "" {
		t.Skip("REDIS_URL is not set: the prefix matters on the Redis souk serve uses")
	}
	n, _ := rand.Int(rand.Reader, big.NewInt(1e9))
	prefix := fmt.Sprintf("sendtest%09d", n.Int64())
	st, _, err := store.Open(url, store.Config{Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := context.Background()
	t.Cleanup(func() {
		keys, _ := st.Client().Keys(ctx, prefix+":*").Result()
		if len(keys) > 0 {
			st.Client().Del(ctx, keys...)
		}
	})
	k := clitest.NewKaleyra(t)
	env := k.Env(map[string]string{"SOUK_FLOW": "../../examples/pizzeria/flow.yaml", "REDIS_URL": url, "SOUK_REDIS_PREFIX": prefix})
	code, out := runOperator(env, "send", "--template", "pizza_of_the_week", "--language", "en_US",
		"--product", "pz-diavola", clitest.Shopper)
	_, id, found := strings.Cut(strings.TrimSpace(out), "(id ")
	if code != 0 || !found {
		t.Fatalf("exit %d, output:\n%s", code, out)
	}
	id = strings.TrimSuffix(id, ")")
	if s, err := st.Status(ctx, "", id); err != nil || s.Status != store.StatusSent {
		t.Fatalf("status under %s: %+v, %v; want sent", prefix, s, err)
	}
}

// TestHandoffCommands lists a handed-off shopper (in full: an operator
// needs the number), resumes them (masked in what it prints), and no
// longer lists them.
func TestHandoffCommands(t *testing.T) {
	url := os.Getenv("REDIS_URL")
	if url == "" {
		t.Skip("REDIS_URL is not set: souk handoff resume needs the Redis souk serve uses")
	}
	n, _ := rand.Int(rand.Reader, big.NewInt(1e9))
	phone := fmt.Sprintf("4479%09d", n.Int64()) // a random number: this test's keys are its own
	st, _, err := store.Open(url, store.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() }) // cleanups run last-registered first: after the Del below
	ctx := context.Background()
	t.Cleanup(func() {
		st.Client().Del(ctx, "souk:{"+phone+"}:conv")
		st.Client().ZRem(ctx, "souk:handoffs", phone)
	})
	c := store.Conversation{Phone: phone, State: "human", HandoffAt: time.Now()}
	c.Hold(store.Held{ID: "w1", At: time.Now(), Kind: "text", Text: "anyone there?"})
	if err := st.Commit(ctx, store.Commit{Conversation: c, TTL: time.Hour}); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"REDIS_URL": url}
	tests := []struct {
		name string
		args []string
		code int
		out  string
		full bool // the output holds the number in full
	}{
		{"list", []string{"handoff", "list", "--limit", "1000"}, 0, "  " + phone + "  since ", true},
		{"list shows the last message", []string{"handoff", "list", "--limit", "1000"}, 0, `1 held  last: text "anyone there?"`, true},
		{"resume", []string{"handoff", "resume", "+" + phone}, 0, "1 message(s) arrived meanwhile", false},
		{"again", []string{"handoff", "resume", phone}, 0, "was not handed off", false},
		{"listed no more", []string{"handoff", "list", "--limit", "1000"}, 0, "waiting for a person, the longest first", false},
		{"bad phone", []string{"handoff", "resume", "abc"}, 2, "neither an E.164 phone number nor a WhatsApp user id", false},
		{"bad limit", []string{"handoff", "list", "--limit", "0"}, 2, "--limit from 1 to 1000", false},
		{"usage", []string{"handoff", "pause", phone}, 2, "usage: souk handoff list [--limit N] | souk handoff resume PHONE", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out := runOperator(env, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.out) || strings.Contains(out, phone) != tt.full {
				t.Fatalf("exit %d, output:\n%s", code, out)
			}
		})
	}
	if c, _ := st.Load(ctx, phone); c.HandedOff() || len(c.Held) > 0 || c.State != "human" {
		t.Fatalf("after resume: %+v, want the same state, not handed off, nothing held", c)
	}
}

const optOutServeFlow = `flow: opt-out-e2e
start: browse
catalog: "1033000049"
keywords: {stop: stopped}
states:
  browse:
    send: [{text: Our teas}]
  stopped:
    run: opt_out
    send: [{text: "No more offers"}]
    else: browse
`

// TestOptedOutShopperGetsNoReengagement checks, on a real `souk serve`
// and Redis, that a shopper who typed stop (the opt_out built-in) is
// refused re-engagement: POST /send answers 409 with a JSON error, and
// `souk send` on the same Redis fails saying why; nothing reaches Kaleyra.
// Then an operator reads and sets the opt-out by HTTP and `souk optout`.
func TestOptedOutShopperGetsNoReengagement(t *testing.T) {
	url, prefix := storetest.RedisURL(t), storetest.Prefix()
	storetest.OpenRedis(t, url, prefix, 1) // cleans the prefix up afterwards
	flow := clitest.WriteFlow(t, optOutServeFlow)
	k := clitest.NewKaleyra(t)
	reg := handlers.NewRegistry()
	handlers.RegisterBuiltins(reg)
	env := k.Env(map[string]string{"SOUK_FLOW": flow, "REDIS_URL": url, "SOUK_REDIS_PREFIX": prefix, "SOUK_OPERATOR_TOKEN": "t0k"})
	srv := clitest.Serve(t, reg, env)
	srv.Text(t, "wamid.optout.1", "hi")
	k.Wait(t, 1)
	srv.Text(t, "wamid.optout.2", "stop")
	if got := clitest.Texts(k.Wait(t, 1)); len(got) != 1 || got[0] != "No more offers" {
		t.Fatalf("reply to stop %q", got)
	}
	code, body := srv.Post(t, "/send", `{"to":"`+clitest.Shopper+`","template":"offer","language":"en","product":"tea-assam"}`,
		"Authorization", "Bearer t0k")
	if code != 409 || body != `{"error":"bot: the shopper opted out of reminders and re-engagement"}`+"\n" {
		t.Fatalf("POST /send = %d %q", code, body)
	}
	code, out := runOperator(env, "send", "--template", "offer", "--language", "en", "--product", "tea-assam", clitest.Shopper)
	if code != 1 || !strings.Contains(out, "opted out") {
		t.Fatalf("souk send: exit %d, output:\n%s", code, out)
	}
	if n := k.Len(); n != 0 {
		t.Fatalf("%d requests reached Kaleyra", n)
	}

	auth := []string{"Authorization", "Bearer t0k"}
	if code, body := srv.Get(t, "/operator/optout?phone=%2B"+clitest.Shopper, auth...); code != 200 || !strings.Contains(body, `"opted_out":true,"phone":"`+clitest.Shopper+`","since":"`) {
		t.Fatalf("GET /operator/optout = %d %s", code, body)
	}
	if code, out := runOperator(env, "optout", "clear", clitest.Shopper); code != 0 || !strings.Contains(out, "has not opted out") {
		t.Fatalf("souk optout clear: exit %d, output:\n%s", code, out)
	}
	if code, body := srv.Post(t, "/send", `{"to":"`+clitest.Shopper+`","template":"offer","language":"en","product":"tea-assam"}`, auth...); code != 202 {
		t.Fatalf("POST /send after the opt-out was cleared = %d %s", code, body)
	}
	k.Wait(t, 1)
	if code, body := srv.Post(t, "/operator/optout", `{"phone":"`+clitest.Shopper+`","opted_out":true}`, auth...); code != 200 || !strings.Contains(body, `"opted_out":true`) {
		t.Fatalf("POST /operator/optout = %d %s", code, body)
	}
	if code, out := runOperator(env, "optout", "show", "+"+clitest.Shopper); code != 0 || !strings.Contains(out, "opted out at ") {
		t.Fatalf("souk optout show: exit %d, output:\n%s", code, out)
	}
	for _, bad := range []string{`{"phone":"12","opted_out":true}`, `{"phone":"` + clitest.Shopper + `"}`} {
		if code, body := srv.Post(t, "/operator/optout", bad, auth...); code != 400 || !strings.Contains(body, `"error"`) {
			t.Errorf("POST /operator/optout %s = %d %s, want 400 with a JSON error", bad, code, body)
		}
	}
}

// TestTemplatesRefusedWithoutWABA checks that a server whose Kaleyra
// settings have no WABA id refuses a re-engagement template up front
// (POST /send 501, `souk send` exit 1, both naming KALEYRA_WABA_ID) rather
// than queue it for a sure dead letter; session messages still go.
func TestTemplatesRefusedWithoutWABA(t *testing.T) {
	url, prefix := storetest.RedisURL(t), storetest.Prefix()
	storetest.OpenRedis(t, url, prefix, 1) // cleans the prefix up afterwards
	k := clitest.NewKaleyra(t)
	reg := handlers.NewRegistry()
	handlers.RegisterBuiltins(reg)
	env := k.Env(map[string]string{"SOUK_FLOW": clitest.WriteFlow(t, optOutServeFlow), "REDIS_URL": url,
		"SOUK_REDIS_PREFIX": prefix, "SOUK_OPERATOR_TOKEN": "t0k", "KALEYRA_WABA_ID": ""})
	srv := clitest.Serve(t, reg, env)
	srv.Text(t, "wamid.nowaba.1", "hi")
	k.Wait(t, 1)
	code, body := srv.Post(t, "/send", `{"to":"`+clitest.Shopper+`","template":"offer","language":"en","product":"tea-assam"}`,
		"Authorization", "Bearer t0k")
	if code != 501 || !strings.HasPrefix(body, `{"error":"bot: this server cannot send the message: kaleyra: no WABA id (KALEYRA_WABA_ID)`) {
		t.Fatalf("POST /send = %d %q", code, body)
	}
	code, out := runOperator(env, "send", "--template", "offer", "--language", "en", "--product", "tea-assam", clitest.Shopper)
	if code != 1 || !strings.Contains(out, "KALEYRA_WABA_ID") {
		t.Fatalf("souk send: exit %d, output:\n%s", code, out)
	}
	if code, out := runOperator(env, "outbox", "list"); code != 0 || !strings.Contains(out, "0 dead letter(s)") {
		t.Fatalf("souk outbox list: exit %d, output:\n%s", code, out)
	}
	if n := k.Len(); n != 0 {
		t.Fatalf("%d requests reached Kaleyra", n)
	}
}
