package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/souk-commerce/souk/bot/kaleyra/kaleyratest"
	"github.com/souk-commerce/souk/store"
)

// lateShopper only ever writes a message that arrives 25 hours late.
const lateShopper = "919811122233"

// lateHook is a Meta envelope with one text of lateShopper's, 25 hours old.
func lateHook(id string) string {
	return `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
 "messaging_product":"whatsapp","metadata":{"display_phone_number":"` + business + `","phone_number_id":"5550001112223334"},
 "contacts":[{"profile":{"name":"Ravi"},"wa_id":"` + lateShopper + `"}],"messages":[` +
		fmt.Sprintf(`{"from":"%s","id":"%s","timestamp":"%d","type":"text","text":{"body":"hello"}}`,
			lateShopper, id, time.Now().Add(-25*time.Hour).Unix()) + `]}}]}]}`
}

// gate holds the fake Kaleyra's answers while closed.
type gate struct {
	held atomic.Bool
	open chan struct{}
	once sync.Once
}

func (g *gate) release() { g.once.Do(func() { close(g.open) }) }

// TestMetricsOutboxEndToEnd runs `souk serve`'s own wiring (buildApp) with
// the fake Kaleyra and checks on GET /metrics that the outbox and window
// collectors move: a 500 then a success counts a retry, a 400 a dead
// letter, a reply held at Kaleyra shows in the depth gauge, a late
// webhook's reply is refused and dead-lettered; no phone number appears.
func TestMetricsOutboxEndToEnd(t *testing.T) {
	tests := []struct {
		name string
		url  func(t *testing.T) (url, prefix string)
	}{
		{"embedded", func(*testing.T) (string, string) { return "", "" }},
		{"redis", func(t *testing.T) (string, string) {
			url := os.Getenv("REDIS_URL")
			if url == "" {
				t.Skip("REDIS_URL is not set: skipping the real-Redis run")
			}
			var b [6]byte
			_, _ = rand.Read(b[:])
			prefix := "souktest-" + hex.EncodeToString(b[:])
			t.Cleanup(func() { deletePrefix(t, url, prefix) })
			return url, prefix
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			url, prefix := tc.url(t)
			runMetricsOutbox(t, url, prefix)
		})
	}
}

func runMetricsOutbox(t *testing.T, redisURL, prefix string) {
	mock := kaleyratest.New()
	g := &gate{open: make(chan struct{})}
	k := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if g.held.Load() {
			<-g.open
		}
		mock.ServeHTTP(w, r)
	}))
	t.Cleanup(k.Close)
	t.Cleanup(g.release)
	vars := map[string]string{"REDIS_URL": redisURL, "SOUK_REDIS_PREFIX": prefix,
		"KALEYRA_API_KEY": "test-key-123", "KALEYRA_SID": "HXAP16000000097IN", "KALEYRA_BASE_URL": k.URL,
		"KALEYRA_NUMBER": business, "KALEYRA_WABA_ID": "1090000000000001",
		"SOUK_OUTBOX_BACKOFF": "5ms", "SOUK_OUTBOX_MAX_BACKOFF": "10ms", "SOUK_OUTBOX_POLL": "10ms"}
	base, st := startMetered(t, vars)
	ctx := context.Background()

	steps := []struct {
		name  string
		setup func()
		body  string
		sends int      // requests the fake must have received in all
		want  []string // /metrics lines that must all show up
	}{
		{"a 500 then a success is one retry", func() { mock.FailNext(kaleyratest.Failure{Code: "WA500"}) },
			metaHook(textMsg("wamid.M1", "hello")), 2, []string{
				`souk_sends_total{code="WA500",kind="list"} 1`,
				`souk_sends_total{code="202",kind="list"} 1`,
				`souk_send_retries_total{kind="list"} 1`,
				`souk_outbox_handovers_total{how="leased"} 1`,
			}},
		{"a 400 is dead-lettered at once", func() { mock.FailNext(kaleyratest.Failure{Code: "WA400"}) },
			metaHook(listReply("wamid.M2", "pizzas")), 3, []string{
				`souk_sends_total{code="WA400",kind="product_list"} 1`,
				`souk_dead_letters_total{code="WA400",kind="product_list"} 1`,
			}},
		// How this commit finds its sender is not asserted: the worker that
		// dead-lettered M2's reply may still hold the outbox for a moment
		// after the dead letter is counted ("sending"), or not ("leased").
		{"a reply held at Kaleyra is in the outbox", func() { g.held.Store(true) },
			metaHook(listReply("wamid.M3", "back")), 3, []string{`souk_outbox_depth 1`}},
		{"released, the outbox empties", g.release, "", 4, []string{
			`souk_outbox_depth 0`,
			`souk_outbox_oldest_age_seconds 0`,
			`souk_sends_total{code="202",kind="list"} 2`,
		}},
		{"a late webhook's reply is refused and dead-lettered", nil, lateHook("wamid.L1"), 4, []string{
			`souk_window_refusals_total{kind="list"} 1`,
			`souk_dead_letters_total{code="outside_window",kind="list"} 1`,
			`souk_send_retries_total{kind="list"} 1`,
			`souk_webhook_panics_total 0`,
			`souk_outbox_depth 0`, // the refused reply passes through the outbox, committed with its move
		}},
	}
	var out string
	for _, s := range steps {
		if s.setup != nil {
			s.setup()
		}
		if s.body != "" {
			postWebhook(t, base, s.body, http.StatusOK)
		}
		out = waitMetrics(t, base, s.name, s.want)
		if n := mock.Len(); n != s.sends {
			t.Fatalf("%s: the fake Kaleyra got %d requests, want %d", s.name, n, s.sends)
		}
		if strings.Contains(out, shopper) || strings.Contains(out, lateShopper) {
			t.Fatalf("%s: /metrics mentions a phone number", s.name)
		}
	}
	if strings.Contains(out, "souk_outbox_depth 1\n") {
		t.Fatal("the depth gauge stayed up")
	}

	dls, err := st.DeadLetters(ctx, 10)
	if err != nil || len(dls) != 2 {
		t.Fatalf("dead letters: %+v, %v; want the 400 and the refusal", dls, err)
	}
	late := dls[1]
	if late.Message.Phone != lateShopper || !strings.Contains(late.Reason, "24-hour customer-service window") ||
		strings.Contains(late.Reason, lateShopper) {
		t.Fatalf("refused reply's dead letter: %+v", late)
	}
	if redisURL != "" {
		// souk outbox list shows the refusal with its reason, phone masked.
		var stdout, stderr bytes.Buffer
		env := &Env{Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return vars[k] }}
		if code := Run(ctx, env, []string{"outbox", "list"}); code != 0 || !strings.Contains(stdout.String(), "24-hour") ||
			strings.Contains(stdout.String(), lateShopper) {
			t.Fatalf("souk outbox list: exit %d\n%s%s", code, stdout.String(), stderr.String())
		}
	}
}

// startMetered serves `souk serve` from vars as startServe does, its
// outbox gauges read every 10ms, until the test ends.
func startMetered(t *testing.T, vars map[string]string) (string, store.Outbox) {
	t.Helper()
	srv := startServeWith(t, vars, func(cfg *serveConfig) { cfg.outbox.StatsEvery = 10 * time.Millisecond },
		"--flow", "../../examples/pizzeria/flow.yaml")
	ob, ok := srv.app.store.(store.Outbox)
	if !ok {
		t.Fatalf("the store %T has no outbox", srv.app.store)
	}
	return srv.URL, ob
}

// waitMetrics polls GET /metrics until every line in want shows up, and
// returns the last exposition.
func waitMetrics(t *testing.T, base, step string, want []string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(base + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		out, missing := string(b), ""
		for _, w := range want {
			if !strings.Contains(out, "\n"+w+"\n") {
				missing = w
				break
			}
		}
		if missing == "" {
			return out
		}
		if time.Now().After(deadline) {
			var souk []string
			for _, l := range strings.Split(out, "\n") {
				if strings.HasPrefix(l, "souk_") && !strings.Contains(l, "_bucket") {
					souk = append(souk, l)
				}
			}
			t.Fatalf("%s: /metrics lacks %q:\n%s", step, missing, strings.Join(souk, "\n"))
		}
		time.Sleep(5 * time.Millisecond) // polling interval, not a wait for a fixed time
	}
}

// deletePrefix removes every key under prefix from the Redis at url.
func deletePrefix(t *testing.T, url, prefix string) {
	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	ctx := context.Background()
	it := rdb.Scan(ctx, 0, prefix+":*", 1000).Iterator()
	for it.Next(ctx) {
		rdb.Del(ctx, it.Val())
	}
}

// TestMetricsPreparedAtZero checks that the failure counters a dashboard
// alerts on exist at zero before anything failed: for every registered
// handler and every message kind.
func TestMetricsPreparedAtZero(t *testing.T) {
	srv := startServe(t, nil, "--flow", "../../examples/pizzeria/flow.yaml")
	waitMetrics(t, srv.URL, "fresh server", []string{
		`souk_handler_errors_total{handler="order_summary"} 0`,
		`souk_handler_panics_total{handler="handoff"} 0`,
		`souk_handler_runs_total{handler="require_cart"} 0`,
		`souk_send_retries_total{kind="product_list"} 0`,
		`souk_window_refusals_total{kind="template"} 0`,
		`souk_window_refusals_total{kind="text"} 0`,
	})
}

// TestMetricsHandoffsWaiting checks that /metrics counts the shoppers
// waiting for a person: none at first, one once a shopper is handed off.
func TestMetricsHandoffsWaiting(t *testing.T) {
	flow := filepath.Join(t.TempDir(), "flow.yaml")
	writeFlow(t, flow, "flow: f\nstart: a\nstates:\n  a:\n    send: [{text: menu}]\n    on: {human: h}\n  h:\n    run: handoff\n    send: [{text: a person will answer}]\n")
	srv := startServe(t, nil, "--flow", flow)
	waitMetrics(t, srv.URL, "fresh server", []string{`souk_handoffs_waiting 0`, `souk_handoff_oldest_wait_seconds 0`})
	postWebhook(t, srv.URL, metaHook(textMsg("wamid.H1", "hi")), http.StatusOK)
	postWebhook(t, srv.URL, metaHook(textMsg("wamid.H2", "human")), http.StatusOK)
	waitMetrics(t, srv.URL, "after a handoff", []string{`souk_handoffs_waiting 1`})
}
