package main

import (
	"strings"
	"testing"

	"github.com/souk-commerce/souk/bot/cli/clitest"
	"github.com/souk-commerce/souk/handlers"
)

// TestPizzeriaEndToEnd serves examples/pizzeria (YAML only, built-in
// handlers) on a loopback port against a fake Kaleyra.
func TestPizzeriaEndToEnd(t *testing.T) {
	reg := handlers.NewRegistry()
	handlers.RegisterBuiltins(reg)
	k := clitest.NewKaleyra(t)
	srv := clitest.Serve(t, reg, k.Env(map[string]string{"SOUK_FLOW": "../../examples/pizzeria/flow.yaml"}))
	steps := []struct {
		name string
		send func()
		kind []string // interactive type, "text" or "template" of each request
		text string   // a fragment of the last request
	}{
		{"menu", func() { srv.Text(t, "wamid.1", "hi") }, []string{"list"}, "Hi Asha! What are you craving?"},
		{"pizzas", func() { srv.Tap(t, "wamid.2", "pizzas") }, []string{"product_list"}, `"product_retailer_id":"pz-diavola"`},
		{"cart", func() {
			srv.Cart(t, "wamid.3", `[{"product_retailer_id":"pz-margherita","quantity":2,"item_price":9.5,"currency":"EUR"}]`)
		}, []string{"text", "text"}, "your order of 2 item(s) is in!"},
		{"duplicate is ignored", func() {
			srv.Cart(t, "wamid.3", `[{"product_retailer_id":"pz-margherita","quantity":2,"item_price":9.5,"currency":"EUR"}]`)
		}, nil, ""},
		{"offer template", func() { srv.Text(t, "wamid.4", "offer") }, []string{"template"}, `"name":"pizza_of_the_week"`},
	}
	for _, s := range steps {
		s.send()
		reqs := k.Wait(t, len(s.kind))
		for i, r := range reqs {
			kind := r.Field("messaging_object", "interactive", "type")
			if kind == "" {
				kind = r.Field("messaging_object", "type") + r.Field("type")
			}
			if kind != s.kind[i] {
				t.Fatalf("%s: request %d is %q, want %q: %s", s.name, i, kind, s.kind[i], r.Body)
			}
		}
		if len(reqs) > 0 && !strings.Contains(string(reqs[len(reqs)-1].Body), s.text) {
			t.Fatalf("%s: last request lacks %q: %s", s.name, s.text, string(reqs[len(reqs)-1].Body))
		}
		if s.name == "cart" && clitest.Texts(reqs)[0] != "Your order:\n2 x Margherita @ 9.50 = 19.00 EUR\nTotal: 19.00 EUR" {
			t.Fatalf("summary: %q", clitest.Texts(reqs)[0])
		}
	}
	if code, body := srv.Post(t, "/send", `{}`, "Authorization", "Bearer x"); code != 403 || !strings.Contains(body, "SOUK_OPERATOR_TOKEN") {
		t.Fatalf("/send without SOUK_OPERATOR_TOKEN: %d %s", code, body)
	}
}
