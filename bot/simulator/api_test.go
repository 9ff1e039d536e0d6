package simulator

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/souk-commerce/souk/store"
	"github.com/souk-commerce/souk/store/storetest"
)

// fakeHook stands in for the server's own POST /webhook: it records what
// arrives and checks the signature or token the way the server does.
type fakeHook struct {
	secret, token string
	mu            sync.Mutex
	bodies        []string
}

func (h *fakeHook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	if h.secret != "" && r.Header.Get("X-Hub-Signature-256") != Sign(b, h.secret) {
		http.Error(w, `{"error":"bad signature"}`, http.StatusUnauthorized)
		return
	}
	if h.token != "" && r.Header.Get("X-Webhook-Token") != h.token {
		http.Error(w, `{"error":"bad token"}`, http.StatusUnauthorized)
		return
	}
	h.mu.Lock()
	h.bodies = append(h.bodies, string(b))
	h.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, `{"status":"ok"}`)
}

// newTestSimulator serves a Simulator on an embedded store, posting to hook.
func newTestSimulator(t *testing.T, cfg Config, hook http.Handler) (*httptest.Server, store.Store) {
	t.Helper()
	st := storetest.Miniredis(t)
	if hook != nil {
		hs := httptest.NewServer(hook)
		t.Cleanup(hs.Close)
		cfg.WebhookURL = hs.URL + "/webhook"
	}
	cfg.Feed, cfg.Conversations = NewFeed(16), st
	sim, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim)
	t.Cleanup(func() { sim.Close(); srv.Close() })
	return srv, st
}

func TestSend(t *testing.T) {
	text := `{"phone":"+919876543210","name":"Asha","type":"text","text":"hello"}`
	tests := []struct {
		name        string
		cfg         Config
		hook        *fakeHook
		contentType string
		body        string
		wantCode    int
		wantHook    int // status the webhook answered, when wantCode is 200
	}{
		{name: "unsigned", hook: &fakeHook{}, body: text, wantCode: 200, wantHook: 200},
		{name: "signed with the app secret", cfg: Config{AppSecret: "s3cret"}, hook: &fakeHook{secret: "s3cret"},
			body: text, wantCode: 200, wantHook: 200},
		{name: "carries the webhook token", cfg: Config{Token: "tok"}, hook: &fakeHook{token: "tok"},
			body: text, wantCode: 200, wantHook: 200},
		{name: "the webhook's refusal is passed on", cfg: Config{AppSecret: "wrong"}, hook: &fakeHook{secret: "s3cret"},
			body: text, wantCode: 200, wantHook: 401},
		{name: "not JSON", hook: &fakeHook{}, contentType: "application/x-www-form-urlencoded", body: "type=text", wantCode: 400},
		{name: "unknown field", hook: &fakeHook{}, body: `{"phone":"919876543210","type":"text","text":"hi","x":1}`, wantCode: 400},
		{name: "bad action", hook: &fakeHook{}, body: `{"phone":"919876543210","type":"text"}`, wantCode: 400},
		{name: "a place on the equator", hook: &fakeHook{}, wantCode: 200, wantHook: 200,
			body: `{"phone":"919876543210","type":"location","location":{"latitude":0,"longitude":32.5}}`},
		{name: "a place without a latitude", hook: &fakeHook{}, wantCode: 400,
			body: `{"phone":"919876543210","type":"location","location":{"longitude":73.8}}`},
		{name: "a place with a null longitude", hook: &fakeHook{}, wantCode: 400,
			body: `{"phone":"919876543210","type":"location","location":{"latitude":18.5,"longitude":null}}`},
		{name: "webhook address unknown", body: text, wantCode: 502},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hook http.Handler
			if tt.hook != nil {
				hook = tt.hook
			}
			srv, _ := newTestSimulator(t, tt.cfg, hook)
			ct := tt.contentType
			if ct == "" {
				ct = "application/json"
			}
			res, err := http.Post(srv.URL+"/simulator/send", ct, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var got sent
			_ = json.NewDecoder(res.Body).Decode(&got)
			if res.StatusCode != tt.wantCode || got.Status != tt.wantHook {
				t.Fatalf("status %d (webhook %d), want %d (webhook %d)", res.StatusCode, got.Status, tt.wantCode, tt.wantHook)
			}
			if tt.wantHook == 200 && (len(tt.hook.bodies) != 1 || tt.hook.bodies[0] != got.Webhook) {
				t.Errorf("the webhook received %q, the page was told %q", tt.hook.bodies, got.Webhook)
			}
		})
	}
}

func TestConversationAndReset(t *testing.T) {
	srv, st := newTestSimulator(t, Config{}, nil)
	ctx := context.Background()
	err := st.Commit(ctx, store.Commit{Conversation: store.Conversation{Phone: "919876543210", Name: "Asha", State: "pizzas",
		Vars: map[string]any{"slot": "19:00"}, LastActive: time.Now()}, TTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	get := func() view {
		t.Helper()
		var v view
		getJSON(t, srv.URL+"/simulator/conversation?phone=%2B919876543210", &v)
		return v
	}
	if v := get(); !v.Exists || v.State != "pizzas" || v.Vars["slot"] != "19:00" || v.Version != 1 || v.HandedOff {
		t.Errorf("conversation = %+v, want pizzas with slot 19:00, with the bot", v)
	}
	c, err := st.Load(ctx, "919876543210")
	if err != nil {
		t.Fatal(err)
	}
	c.Gathered = "12 Baker Street"
	if err := st.Commit(ctx, store.Commit{Conversation: c, TTL: time.Hour}); err != nil {
		t.Fatal(err)
	}
	if v := get(); v.Held != "12 Baker Street" {
		t.Errorf("conversation = %+v, want the held answer shown", v)
	}
	c, err = st.Load(ctx, "919876543210")
	if err != nil {
		t.Fatal(err)
	}
	c.HandoffAt, c.Gathered = time.Now(), ""
	if err := st.Commit(ctx, store.Commit{Conversation: c, TTL: time.Hour}); err != nil {
		t.Fatal(err)
	}
	if v := get(); !v.HandedOff || v.Held != "" {
		t.Errorf("conversation = %+v, want it shown handed off", v)
	}
	req, _ := http.NewRequest(http.MethodDelete, srv.URL+"/simulator/conversation?phone=919876543210", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != http.StatusNoContent {
		t.Fatalf("reset = %v, %v; want 204", res, err)
	}
	if v := get(); v.Exists || v.State != "" {
		t.Errorf("after reset = %+v, want no conversation", v)
	}
	res, err = http.Get(srv.URL + "/simulator/conversation?phone=abc")
	if err != nil || res.StatusCode != http.StatusBadRequest {
		t.Errorf("bad phone = %v, %v; want 400", res, err)
	}
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, res.Status)
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

func TestEvents(t *testing.T) {
	srv, _ := newTestSimulator(t, Config{}, nil)
	sim := srv.Config.Handler.(*Simulator)
	sim.cfg.Feed.OnSend("POST", "/v2/S/whatsapp/N/messages", body("919876543210")) // before the page connects
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/simulator/events?phone=919876543210", nil)
	req.Header.Set("Last-Event-ID", "0")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type = %q", ct)
	}
	r := bufio.NewReader(res.Body)
	if ev, _ := readEvent(t, r); ev != "ready" {
		t.Fatalf("first event = %q, want ready", ev)
	}
	if _, rec := readEvent(t, r); rec.Seq != 1 {
		t.Fatalf("replayed %+v, want record 1", rec)
	}
	sim.cfg.Feed.OnSend("POST", "/v2/S/whatsapp/N/messages", body("111111111"))
	sim.cfg.Feed.OnSend("POST", "/v2/S/whatsapp/N/messages", body("919876543210", "pz-diavola"))
	ev, rec := readEvent(t, r)
	if ev != "out" || rec.Seq != 3 || rec.Body != string(body("919876543210", "pz-diavola")) {
		t.Errorf("event %q %+v, want record 3 with the exact body (record 2 is another shopper's)", ev, rec)
	}
}

// readEvent reads one server-sent event, skipping comments, with the
// Record an "out" event carries.
func readEvent(t *testing.T, r *bufio.Reader) (string, Record) {
	t.Helper()
	name, data := readRawEvent(t, r)
	var rec Record
	if name == "out" {
		if err := json.Unmarshal([]byte(data), &rec); err != nil {
			t.Fatal(err)
		}
	}
	return name, rec
}

// readRawEvent reads one server-sent event's name and data, skipping
// comments.
func readRawEvent(t *testing.T, r *bufio.Reader) (name, data string) {
	t.Helper()
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("reading events: %v", err)
		}
		line = strings.TrimRight(line, "\n")
		switch {
		case line == "" && name != "":
			return name, data
		case strings.HasPrefix(line, "event: "):
			name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			data = strings.TrimPrefix(line, "data: ")
		}
	}
}

func TestPageAndAssets(t *testing.T) {
	srv, _ := newTestSimulator(t, Config{FlowName: "pizzeria"}, nil)
	tests := []struct {
		name, path, wantType, wantBody string
	}{
		{name: "page", path: "/simulator", wantType: "text/html; charset=utf-8", wantBody: `src="/simulator/assets/app.js"`},
		{name: "page with slash", path: "/simulator/", wantType: "text/html; charset=utf-8", wantBody: "<main"},
		{name: "script", path: "/simulator/assets/app.js", wantType: "text/javascript; charset=utf-8", wantBody: "EventSource"},
		{name: "style", path: "/simulator/assets/app.css", wantType: "text/css; charset=utf-8", wantBody: "@media"},
		{name: "info", path: "/simulator/info", wantType: "application/json", wantBody: `"flow":"pizzeria"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := http.Get(srv.URL + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			if res.StatusCode != 200 || res.Header.Get("Content-Type") != tt.wantType || !strings.Contains(string(b), tt.wantBody) {
				t.Fatalf("GET %s = %s %q, want 200 %s containing %q", tt.path, res.Status, res.Header.Get("Content-Type"), tt.wantType, tt.wantBody)
			}
			if tt.name != "info" && !strings.Contains(res.Header.Get("Content-Security-Policy"), "default-src 'none'") {
				t.Errorf("no content security policy on %s", tt.path)
			}
			if strings.Contains(string(b), "://") {
				t.Errorf("%s refers to something outside the binary (found ://)", tt.path)
			}
		})
	}
}
