package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/souk-commerce/souk/bot/cli"
	"github.com/souk-commerce/souk/bot/cli/clitest"
	"github.com/souk-commerce/souk/bot/flowtest"
)

// TestFlowTests runs flow.test.yaml, the shop's conversation tests, with
// this binary's own handlers, as `go run ./examples/shop-with-handlers test
// flow.yaml` does; bot/flowtest's TestExamples cannot, since it has only the
// built-in handlers.
func TestFlowTests(t *testing.T) {
	var out bytes.Buffer
	sum := flowtest.Run([]string{"flow.yaml"}, flowtest.Options{Out: &out, Handlers: registry(newStock())})
	if !sum.OK() || sum.Passed < 10 {
		t.Fatalf("flow tests: %d passed, %d failed, %d broken\n%s", sum.Passed, sum.Failed, sum.Broken, out.String())
	}
}

// TestTestCommand runs the `test` subcommand of this binary on the flow.
func TestTestCommand(t *testing.T) {
	var out bytes.Buffer
	code := cli.Run(context.Background(), &cli.Env{Stdout: &out, Stderr: &out, Handlers: registry(newStock()),
		Getenv: func(string) string { return "" }}, []string{"test", "flow.yaml"})
	if code != 0 || !strings.Contains(out.String(), " passed, 0 failed") {
		t.Fatalf("test: exit %d\n%s", code, out.String())
	}
}

// TestShopEndToEnd runs this binary's `serve` on a loopback port against a
// fake Kaleyra and plays a shopper through stock check, delivery slot,
// handoff and re-engagement.
func TestShopEndToEnd(t *testing.T) {
	k := clitest.NewKaleyra(t)
	srv := clitest.Serve(t, registry(newStock()), k.Env(map[string]string{"SOUK_FLOW": "flow.yaml", "SOUK_OPERATOR_TOKEN": "op-secret"}))
	auth := []string{"Authorization", "Bearer op-secret"}

	srv.Text(t, "wamid.1", "hi")
	if r := k.Wait(t, 1)[0]; r.Field("messaging_object", "interactive", "type") != "list" || r.Header.Get("api-key") != "test-key" ||
		r.Path != "/v2/HXAP1/whatsapp/"+clitest.Business+"/messages" {
		t.Fatalf("welcome: %+v", r)
	}
	srv.Tap(t, "wamid.2", "teas")
	if r := k.Wait(t, 1)[0]; r.Field("messaging_object", "interactive", "type") != "product_list" {
		t.Fatalf("teas: %s", r.Body)
	}

	steps := []struct {
		name string
		send func(id string)
		want []string
	}{
		{"out of stock goes back to the teas", func(id string) {
			srv.Cart(t, id, `[{"product_retailer_id":"tea-sencha","quantity":3,"item_price":8.9,"currency":"EUR"}]`)
		}, []string{"Sorry, we are short of Sencha 100 g (2 left). Please change your cart.", ""}},
		{"in stock asks for a slot", func(id string) {
			srv.Cart(t, id, `[{"product_retailer_id":"tea-assam","quantity":2,"item_price":6.5,"currency":"EUR"},{"product_retailer_id":"sn-shortbread","quantity":1,"item_price":3.4,"currency":"EUR"}]`)
		}, []string{""}},
		{"slot booked, summary with names and totals", func(id string) { srv.Button(t, id, "evening") }, []string{
			"Your order:\n2 x Assam tea 250 g @ 6.50 = 13.00 EUR\n1 x Shortbread @ 3.40 = 3.40 EUR\nTotal: 16.40 EUR",
			"Thanks Asha! We deliver tomorrow evening (17-21). Type menu to shop again.",
		}},
		{"handoff", func(id string) { srv.Text(t, id, "human") }, []string{"A person from the shop will answer you here shortly."}},
	}
	for i, s := range steps {
		s.send("wamid.s" + string(rune('a'+i)))
		if got := clitest.Texts(k.Wait(t, len(s.want))); strings.Join(got, "|") != strings.Join(s.want, "|") {
			t.Fatalf("%s: texts %q, want %q", s.name, got, s.want)
		}
	}

	// Paused: acknowledged, nothing sent, listed for the operators.
	srv.Text(t, "wamid.p1", "hello? anyone?")
	code, body := srv.Get(t, "/operator/handoffs", auth...)
	if code != http.StatusOK || !strings.Contains(body, `"phone":"`+clitest.Shopper+`"`) || !strings.Contains(body, `"held":1`) ||
		!strings.Contains(body, `"text":"hello? anyone?"`) {
		t.Fatalf("handoffs: %d %s", code, body)
	}
	code, body = srv.Post(t, "/operator/handoff/resume", `{"phone":"+`+clitest.Shopper+`"}`, auth...)
	if code != http.StatusOK || !strings.Contains(body, `"was_paused":true`) || !strings.Contains(body, "hello? anyone?") {
		t.Fatalf("resume: %d %s", code, body)
	}
	if n := len(k.Take()); n != 0 {
		t.Fatalf("the paused bot sent %d messages", n)
	}
	if code, body := srv.Get(t, "/operator/handoffs", auth...); code != http.StatusOK || strings.TrimSpace(body) != `{"waiting":[]}` {
		t.Fatalf("handoffs after the resume: %d %s", code, body)
	}
	srv.Text(t, "wamid.p2", "menu")
	k.Wait(t, 1)

	// Re-engagement through the operator API.
	code, body = srv.Post(t, "/send", `{"to":"`+clitest.Shopper+`","template":"tea_of_the_week","language":"en_US","product":"tea-assam","params":["Asha","10%"]}`, auth...)
	if code != http.StatusAccepted {
		t.Fatalf("/send: %d %s", code, body)
	}
	r := k.Wait(t, 1)[0]
	if r.Path != "/v2/HXAP1/whatsapp/waba-1/messages" || r.Field("type") != "template" || !strings.Contains(string(r.Body), `"product_retailer_id":"tea-assam"`) {
		t.Fatalf("template request: %s %s", r.Path, r.Body)
	}
	if code, body = srv.Post(t, "/send", `{"to":"`+clitest.Shopper+`","template":"t","language":"en","product":"tea-nope"}`, auth...); code != http.StatusBadRequest || !strings.Contains(body, "catalogue") {
		t.Fatalf("/send unknown product: %d %s", code, body)
	}
	if code, _ = srv.Post(t, "/send", `{}`); code != http.StatusUnauthorized {
		t.Fatalf("/send without a token: %d", code)
	}
	if strings.Contains(srv.Logs(), clitest.Shopper) || strings.Contains(srv.Logs(), "op-secret") {
		t.Fatal("a phone number or the operator token is in the log")
	}
}

func TestValidateKnowsTheHandlers(t *testing.T) {
	var out bytes.Buffer
	code := cli.Run(context.Background(), &cli.Env{Stdout: &out, Stderr: &out, Handlers: registry(newStock()),
		Getenv: func(string) string { return "" }}, []string{"validate", "flow.yaml"})
	if code != 0 || !strings.Contains(out.String(), "ok: flow corner-tea") {
		t.Fatalf("validate: %d\n%s", code, out.String())
	}
}
