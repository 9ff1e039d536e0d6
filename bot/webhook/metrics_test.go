package webhook

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/metrics"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/handlers"
	"github.com/souk-commerce/souk/store/storetest"
)

func tapMsg(id string) string {
	return `"type":"interactive","interactive":{"type":"list_reply","list_reply":{"id":"` + id + `","title":"x"}}`
}

const orderMsg = `"type":"order","order":{"catalog_id":"1033000049","product_items":[{"product_retailer_id":"pz-margherita","quantity":2,"item_price":9.5,"currency":"EUR"}]}`

// newMeteredServer wires the pizzeria on an embedded store, a dry-run
// sender and one Metrics, as `souk serve` does.
func newMeteredServer(t *testing.T) *Server {
	t.Helper()
	reg := handlers.NewRegistry()
	handlers.RegisterBuiltins(reg)
	flow, diags := flows.Load("../../examples/pizzeria/flow.yaml", flows.Options{HasHandler: reg.Has})
	if diags.HasErrors() {
		t.Fatalf("pizzeria flow: %v", diags)
	}
	st := storetest.Miniredis(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	m := metrics.New()
	sender := metrics.Sender{Inner: kaleyra.NewDryRun(log, kaleyra.Config{}), Metrics: m}
	eng, err := bot.New(bot.Config{Flow: flow, Store: metrics.Store{Redis: st, Metrics: m}, Handlers: reg, Logger: log,
		Dispatcher: bot.Direct{Sender: sender, Log: log}, Metrics: m, Clock: fixtureClock})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Engine: eng, Store: st, Logger: log, Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

func scrape(t *testing.T, h http.Handler) string {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics: %d %s", rec.Code, rec.Body)
	}
	return rec.Body.String()
}

func TestMetricsAfterConversation(t *testing.T) {
	srv := newMeteredServer(t)
	msg := func(id, m string) string { return metaMessage(shopper, id, m) }
	steps := []struct {
		name, body string
		want       int
	}{
		{"hello starts", msg("wamid.1", textMsg("hi")), 200},
		{"tap pizzas", msg("wamid.2", tapMsg("pizzas")), 200},
		{"same tap again", msg("wamid.2", tapMsg("pizzas")), 200},
		{"cart", msg("wamid.3", orderMsg), 200},
		{"keyword menu", msg("wamid.4", textMsg("menu")), 200},
		{"tap catalogue", msg("wamid.5", tapMsg("catalogue")), 200},
		{"else falls back", msg("wamid.6", textMsg("whatever")), 200},
		{"malformed", `{"object":`, 400},
		{"unknown envelope", `{"hello":"world"}`, 200},
		{"meta, nothing to act on", `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"account_update","value":{}}]}]}`, 200},
	}
	for _, s := range steps {
		if got := post(srv, s.body).Code; got != s.want {
			t.Fatalf("%s: status %d, want %d", s.name, got, s.want)
		}
	}
	out := scrape(t, srv)
	want := []struct{ name, line string }{
		{"ok webhooks", `souk_webhooks_total{envelope="meta",outcome="ok"} 7`},
		{"bad webhook", `souk_webhooks_total{envelope="none",outcome="bad_request"} 1`},
		{"ignored webhook", `souk_webhooks_total{envelope="unknown",outcome="ignored"} 1`},
		{"meta without events", `souk_webhooks_total{envelope="meta",outcome="ignored"} 1`},
		{"webhook latency", `souk_webhook_duration_seconds_count{outcome="ok"} 7`},
		{"text events", `souk_events_total{kind="text"} 3`},
		{"tap events", `souk_events_total{kind="list_reply"} 3`},
		{"order events", `souk_events_total{kind="order"} 1`},
		{"start", `souk_transitions_total{flow="pizzeria",from="",to="welcome"} 1`},
		{"tap move", `souk_transitions_total{flow="pizzeria",from="welcome",to="pizzas"} 1`},
		{"order move", `souk_transitions_total{flow="pizzeria",from="pizzas",to="thanks"} 1`},
		{"keyword step", `souk_triggers_total{flow="pizzeria",step="keyword"} 1`},
		{"fallback", `souk_fallbacks_total{flow="pizzeria",state="catalogue"} 1`},
		{"dedup", `souk_dedup_hits_total 1`},
		{"handler run", `souk_handler_runs_total{handler="order_summary"} 1`},
		{"handler ok", `souk_handler_duration_seconds_count{handler="order_summary"} 1`},
		{"list sends", `souk_sends_total{code="202",kind="list"} 3`},
		{"product_list send", `souk_sends_total{code="202",kind="product_list"} 1`},
		{"text sends", `souk_sends_total{code="202",kind="text"} 2`},
		{"send latency", `souk_send_duration_seconds_count{kind="list"} 3`},
		{"commits", `souk_store_duration_seconds_count{op="commit",outcome="ok"} 6`},
		{"outbox depth defined", `souk_outbox_depth 0`},
		{"conflicts defined", `souk_conflict_retries_total 0`},
	}
	for _, w := range want {
		if !strings.Contains(out, w.line+"\n") {
			t.Errorf("%s: /metrics lacks %q", w.name, w.line)
		}
	}
	if strings.Contains(out, `op="seen_load"`) {
		t.Error("a load was timed: the first message is taken as new and the rest are in the process's cache")
	}
	if strings.Contains(out, shopper) || strings.Contains(out, "wamid") {
		t.Error("/metrics mentions a phone number or message id")
	}
	if t.Failed() {
		t.Logf("/metrics:\n%s", grepSouk(out))
	}
}

func grepSouk(out string) string {
	var b strings.Builder
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "souk_") && !strings.Contains(l, "_bucket") {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

func TestNoMetricsRouteWithoutMetrics(t *testing.T) {
	st := storetest.Miniredis(t)
	srv, err := New(Config{Engine: nopEngine{}, Store: st})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusNotFound {
		t.Fatalf("GET /metrics without Metrics: %d, want 404", rec.Code)
	}
}
