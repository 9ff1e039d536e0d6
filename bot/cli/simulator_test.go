package cli

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/kaleyra/kaleyratest"
	"github.com/souk-commerce/souk/handlers"
)

const flowArg = "../../examples/pizzeria/flow.yaml"

func liveVars(t *testing.T, extra map[string]string) map[string]string {
	vars := map[string]string{"KALEYRA_API_KEY": "k-test", "KALEYRA_SID": "HXIN1", "KALEYRA_NUMBER": "919800011122",
		"KALEYRA_BASE_URL": kaleyratest.Run(t).URL}
	for k, v := range extra {
		vars[k] = v
	}
	return vars
}

func TestServeSimulatorModes(t *testing.T) {
	tests := []struct {
		name     string
		live     bool
		vars     map[string]string
		args     []string
		auth     string
		wantCode int
	}{
		{name: "dry run: on", wantCode: http.StatusOK},
		{name: "dry run with an operator token: asks for it", vars: map[string]string{"SOUK_OPERATOR_TOKEN": "op"}, wantCode: http.StatusUnauthorized},
		{name: "real sender: off", live: true, wantCode: http.StatusNotFound},
		{name: "real sender with --simulator: needs the operator token", live: true, args: []string{"--simulator"},
			vars: map[string]string{"SOUK_OPERATOR_TOKEN": "op"}, wantCode: http.StatusUnauthorized},
		{name: "real sender with --simulator and the token", live: true, args: []string{"--simulator"},
			vars: map[string]string{"SOUK_OPERATOR_TOKEN": "op"}, auth: "Bearer op", wantCode: http.StatusOK},
		{name: "dry run, authenticated webhooks, no operator token: off", vars: map[string]string{"WEBHOOK_APP_SECRET": "app-secret"},
			wantCode: http.StatusNotFound},
		{name: "dry run, authenticated webhooks and the token", vars: map[string]string{"WEBHOOK_TOKEN": "hook-token", "SOUK_OPERATOR_TOKEN": "op"},
			auth: "Bearer op", wantCode: http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vars := tt.vars
			if tt.live {
				vars = liveVars(t, tt.vars)
			}
			srv := startServe(t, vars, append([]string{"--flow", flowArg}, tt.args...)...)
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/simulator", nil)
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != tt.wantCode {
				t.Errorf("GET /simulator = %d, want %d", res.StatusCode, tt.wantCode)
			}
		})
	}
}

// TestServeRefusesOpenSimulator: --simulator is refused without the
// operator token when replies would reach real numbers, and when webhooks
// are authenticated (the simulator signs its webhooks).
func TestServeRefusesOpenSimulator(t *testing.T) {
	for _, vars := range []map[string]string{liveVars(t, nil), {"WEBHOOK_APP_SECRET": "app-secret"}, {"WEBHOOK_TOKEN": "hook-token"}} {
		reg := handlers.NewRegistry()
		handlers.RegisterBuiltins(reg)
		env := &Env{Stderr: io.Discard, Getenv: func(k string) string { return vars[k] }, Handlers: reg}
		cfg, err := loadServeConfig(env, []string{"--flow", flowArg, "--simulator"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := buildApp(cfg, env, slog.New(slog.DiscardHandler)); err == nil || !strings.Contains(err.Error(), "SOUK_OPERATOR_TOKEN") {
			t.Errorf("%v: buildApp = %v, want a refusal naming SOUK_OPERATOR_TOKEN", vars, err)
		}
	}
}

// TestSimulatorPostsRealWebhooks checks that a tap on the page reaches the
// engine through the server's own /webhook, signed or with the token, so
// that the production authentication is exercised, and that the replies
// come back to the page from the sender, also from a real one.
func TestSimulatorPostsRealWebhooks(t *testing.T) {
	tests := []struct {
		name string
		vars map[string]string
		args []string
		auth string
	}{
		{name: "dry run, unsigned"},
		{name: "dry run, app secret", vars: map[string]string{"WEBHOOK_APP_SECRET": "app-secret", "SOUK_OPERATOR_TOKEN": "op"}, auth: "Bearer op"},
		{name: "dry run, webhook token", vars: map[string]string{"WEBHOOK_TOKEN": "hook-token", "SOUK_OPERATOR_TOKEN": "op"}, auth: "Basic " + basic("x", "op")},
		{name: "real sender, app secret", vars: liveVars(t, map[string]string{"WEBHOOK_APP_SECRET": "app-secret", "SOUK_OPERATOR_TOKEN": "op"}),
			args: []string{"--simulator"}, auth: "Bearer op"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startServe(t, tt.vars, append([]string{"--flow", flowArg}, tt.args...)...)
			events := openEvents(t, srv.URL, tt.auth)
			status := postAction(t, srv.URL, tt.auth, `{"phone":"919876543210","name":"Asha","type":"text","text":"hello"}`)
			if status != http.StatusOK {
				t.Fatalf("the server's /webhook answered %d to the simulator's post", status)
			}
			rec := nextOut(t, events)
			if !strings.Contains(rec.Body, `"type":"list"`) || !strings.Contains(rec.Body, "Hi Asha!") {
				t.Errorf("first reply = %s, want the welcome list", rec.Body)
			}
			if strings.Contains(srv.Log.String(), "app-secret") || strings.Contains(srv.Log.String(), "hook-token") {
				t.Errorf("a secret reached the log")
			}
		})
	}
}

func postAction(t *testing.T, base, auth, action string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/simulator/send", strings.NewReader(action))
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var got struct{ Status int }
	if res.StatusCode != http.StatusOK || json.NewDecoder(res.Body).Decode(&got) != nil {
		t.Fatalf("POST /simulator/send = %s", res.Status)
	}
	return got.Status
}

type outRecord struct {
	Seq      uint64
	Body     string
	Products map[string]struct {
		Name, Description, Currency string
		Price                       float64
	}
}

// openEvents subscribes to the page's event stream and waits until it is
// live.
func openEvents(t *testing.T, base, auth string) *bufio.Reader {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/simulator/events?phone=919876543210", nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	r := bufio.NewReader(res.Body)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("event stream: %v", err)
		}
		if line == "event: ready\n" {
			return r
		}
	}
}

// nextOut reads the next outbound record from the stream.
func nextOut(t *testing.T, r *bufio.Reader) outRecord {
	t.Helper()
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("event stream: %v", err)
		}
		if data, ok := strings.CutPrefix(line, "data: "); ok && strings.Contains(data, `"seq"`) {
			var rec outRecord
			if err := json.Unmarshal([]byte(data), &rec); err != nil {
				t.Fatal(err)
			}
			return rec
		}
	}
}

// basic is the credentials of HTTP Basic auth.
func basic(user, pass string) string {
	return base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
}
