package webhook

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/store"
)

type nopEngine struct{}

func (nopEngine) Handle(context.Context, whatsapp.Event) (bot.Result, error) {
	return bot.Result{}, nil
}

func TestOperatorRoutes(t *testing.T) {
	sim := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("simulator " + r.URL.Path)) })
	tests := []struct {
		name      string
		simulator http.Handler
		token     string
		auth      func(r *http.Request)
		path      string
		wantCode  int
	}{
		{name: "off without a simulator", path: "/simulator", wantCode: http.StatusNotFound},
		{name: "open without a token", simulator: sim, path: "/simulator", wantCode: http.StatusOK},
		{name: "sub-path", simulator: sim, path: "/simulator/info", wantCode: http.StatusOK},
		{name: "token missing", simulator: sim, token: "t0k", path: "/simulator", wantCode: http.StatusUnauthorized},
		{name: "bearer token", simulator: sim, token: "t0k", path: "/simulator/info",
			auth: func(r *http.Request) { r.Header.Set("Authorization", "Bearer t0k") }, wantCode: http.StatusOK},
		{name: "wrong bearer token", simulator: sim, token: "t0k", path: "/simulator",
			auth: func(r *http.Request) { r.Header.Set("Authorization", "Bearer nope") }, wantCode: http.StatusUnauthorized},
		{name: "basic auth password", simulator: sim, token: "t0k", path: "/simulator",
			auth: func(r *http.Request) { r.SetBasicAuth("merchant", "t0k") }, wantCode: http.StatusOK},
		{name: "wrong basic auth password", simulator: sim, token: "t0k", path: "/simulator",
			auth: func(r *http.Request) { r.SetBasicAuth("t0k", "nope") }, wantCode: http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := New(Config{Engine: nopEngine{}, Store: okPinger{}, Simulator: tt.simulator, OperatorToken: tt.token})
			if err != nil {
				t.Fatal(err)
			}
			req := httptest.NewRequest(http.MethodGet, tt.path, nil)
			if tt.auth != nil {
				tt.auth(req)
			}
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code != tt.wantCode {
				t.Fatalf("GET %s = %d %s, want %d", tt.path, rec.Code, rec.Body, tt.wantCode)
			}
			if tt.wantCode == http.StatusOK && rec.Body.String() != "simulator "+tt.path {
				t.Errorf("body = %q, want the simulator's answer", rec.Body)
			}
			if tt.wantCode == http.StatusUnauthorized && rec.Header().Get("WWW-Authenticate") == "" {
				t.Errorf("401 without WWW-Authenticate: a browser would not ask for the token")
			}
		})
	}
}

// optedOutPhone is a shopper fakeOperator refuses as the engine refuses
// one who opted out.
const optedOutPhone = "919800000999"

// storeDownPhone is a shopper whose re-engagement fakeOperator cannot
// queue, as the engine cannot while Redis is down; unsentPhone one whose
// message the sender failed to send (no outbox).
const storeDownPhone, unsentPhone = "919800000998", "919800000997"

// fakeOperator records what the operator routes hand it.
type fakeOperator struct {
	reengaged []bot.Reengagement
	resumed   []string
}

func (f *fakeOperator) Reengage(_ context.Context, r bot.Reengagement) (string, error) {
	if r.To == "" { // as the engine refuses it
		return "", fmt.Errorf("%w to", bot.ErrIncompleteReengagement)
	}
	switch r.To {
	case optedOutPhone:
		return "", bot.ErrOptedOut
	case storeDownPhone:
		return "", fmt.Errorf("%w: dial tcp 127.0.0.1:6379: connection refused", bot.ErrStoreUnavailable)
	case unsentPhone:
		return "", errors.New("kaleyra: HTTP 500")
	}
	f.reengaged = append(f.reengaged, r)
	return "id-1", nil
}

func (f *fakeOperator) Resume(_ context.Context, phone string) (bool, []store.Held, error) {
	f.resumed = append(f.resumed, phone)
	return false, nil, nil
}

// TestOperatorRefusesOtherSites checks that a browser request from
// another site's page (with Basic credentials the browser kept from the
// simulator) cannot use the operator API, while curl and the same site can.
func TestOperatorRefusesOtherSites(t *testing.T) {
	tests := []struct {
		name    string
		headers map[string]string
		want    int
	}{
		{"curl", nil, 202},
		{"a form on another site", map[string]string{"Origin": "https://evil.example", "Content-Type": "text/plain"}, 403},
		{"fetch metadata says cross-site", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"a page of the same site", map[string]string{"Origin": "http://souk.example"}, 202},
		{"a page of the same site behind a proxy that sets Host", map[string]string{"Origin": "https://shop.example", "Sec-Fetch-Site": "same-origin"}, 202},
		{"an older browser on another site", map[string]string{"Origin": "https://evil.example"}, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := New(Config{Engine: nopEngine{}, Store: okPinger{}, Operator: &fakeOperator{}, OperatorToken: "t0k"})
			if err != nil {
				t.Fatal(err)
			}
			req := httptest.NewRequest(http.MethodPost, "http://souk.example/send", strings.NewReader(`{"to":"919811100001","template":"t","product":"p"}`))
			req.SetBasicAuth("operator", "t0k")
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Errorf("POST /send = %d %s, want %d", rec.Code, rec.Body, tt.want)
			}
		})
	}
}

// TestOperatorBodies checks that the operator routes read a JSON body
// whatever its Content-Type (curl -d sends a form type), refuse what is
// not one JSON value, and answer an empty held list as [].
func TestOperatorBodies(t *testing.T) {
	tests := []struct {
		name, path, contentType, body string
		wantCode                      int
		wantBody                      string
	}{
		{"send, JSON", "/send", "application/json", `{"to":"919811100001","template":"t","product":"p"}`, 202, `{"id":"id-1"}`},
		{"send, curl -d", "/send", "application/x-www-form-urlencoded", `{"to":"919811100001","template":"t","product":"p"}`, 202, `{"id":"id-1"}`},
		{"send, no type", "/send", "", `{"to":"919811100001","template":"t","product":"p"}`, 202, `{"id":"id-1"}`},
		{"send, not JSON", "/send", "application/json", `to=919811100001`, 400, ""},
		{"send, two values", "/send", "application/json", `{"to":"1"} {"to":"2"}`, 400, ""},
		{"send, fields missing", "/send", "application/json", `{}`, 400, `{"error":"bot: re-engagement is missing to"}`},
		{"send, opted out", "/send", "application/json", `{"to":"` + optedOutPhone + `","template":"t","product":"p"}`, 409, `{"error":"bot: the shopper opted out of reminders and re-engagement"}`},
		{"send, store down", "/send", "application/json", `{"to":"` + storeDownPhone + `","template":"t","product":"p"}`, 503, `{"error":"store unavailable, retry later"}`},
		{"send, sender failed", "/send", "application/json", `{"to":"` + unsentPhone + `","template":"t","product":"p"}`, 502, `{"error":"not sent: kaleyra: HTTP 500"}`},
		{"resume, curl -d", "/operator/handoff/resume", "application/x-www-form-urlencoded", `{"phone":"919811100001"}`, 200, `{"held":[],"was_paused":false}`},
		{"resume, bad phone", "/operator/handoff/resume", "application/json", `{"phone":"x"}`, 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			op := &fakeOperator{}
			srv, err := New(Config{Engine: nopEngine{}, Store: okPinger{}, Operator: op, OperatorToken: "t0k"})
			if err != nil {
				t.Fatal(err)
			}
			req := httptest.NewRequest(http.MethodPost, tt.path, strings.NewReader(tt.body))
			req.Header.Set("Authorization", "Bearer t0k")
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code != tt.wantCode {
				t.Fatalf("POST %s = %d %s, want %d", tt.path, rec.Code, rec.Body, tt.wantCode)
			}
			if got := strings.TrimSpace(rec.Body.String()); tt.wantBody != "" && got != tt.wantBody {
				t.Errorf("body = %s, want %s", got, tt.wantBody)
			}
			if tt.wantCode == 202 && (len(op.reengaged) != 1 || op.reengaged[0].To != "919811100001" || op.reengaged[0].Product != "p") {
				t.Errorf("re-engagement handed on = %+v", op.reengaged)
			}
		})
	}
}

// fakeLister is an operator that lists handoffs, as the engine does.
type fakeLister struct {
	fakeOperator
	limits []int
	err    error
}

func (f *fakeLister) Waiting(_ context.Context, limit int) ([]store.Waiting, error) {
	f.limits = append(f.limits, limit)
	return nil, f.err
}

// TestWaitingRoute checks GET /operator/handoffs: behind the token, its
// limit read and bounded, [] for none, 503 when the store fails and 501
// for an operator that cannot list.
func TestWaitingRoute(t *testing.T) {
	tests := []struct {
		name      string
		op        Operator
		query     string
		noToken   bool
		wantCode  int
		wantBody  string
		wantLimit int
	}{
		{name: "default limit", op: &fakeLister{}, wantCode: 200, wantBody: `{"waiting":[]}`, wantLimit: DefaultWaitingLimit},
		{name: "a limit", op: &fakeLister{}, query: "?limit=5", wantCode: 200, wantLimit: 5},
		{name: "the largest limit", op: &fakeLister{}, query: "?limit=1000", wantCode: 200, wantLimit: 1000},
		{name: "limit 0", op: &fakeLister{}, query: "?limit=0", wantCode: 400, wantBody: "limit must be a number from 1 to 1000"},
		{name: "limit too large", op: &fakeLister{}, query: "?limit=1001", wantCode: 400},
		{name: "limit not a number", op: &fakeLister{}, query: "?limit=ten", wantCode: 400},
		{name: "no token", op: &fakeLister{}, noToken: true, wantCode: 401},
		{name: "store down", op: &fakeLister{err: errors.New("redis: connection refused")}, wantCode: 503, wantBody: "store unavailable"},
		{name: "an operator that cannot list", op: &fakeOperator{}, wantCode: 501},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := New(Config{Engine: nopEngine{}, Store: okPinger{}, Operator: tt.op, OperatorToken: "t0k"})
			if err != nil {
				t.Fatal(err)
			}
			req := httptest.NewRequest(http.MethodGet, "/operator/handoffs"+tt.query, nil)
			if !tt.noToken {
				req.Header.Set("Authorization", "Bearer t0k")
			}
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code != tt.wantCode || !strings.Contains(rec.Body.String(), tt.wantBody) {
				t.Fatalf("GET /operator/handoffs%s = %d %s, want %d with %q", tt.query, rec.Code, rec.Body, tt.wantCode, tt.wantBody)
			}
			l, _ := tt.op.(*fakeLister)
			switch {
			case l != nil && tt.wantLimit > 0 && (len(l.limits) != 1 || l.limits[0] != tt.wantLimit):
				t.Errorf("limits asked for: %v, want [%d]", l.limits, tt.wantLimit)
			case l != nil && tt.wantCode/100 == 4 && len(l.limits) > 0:
				t.Errorf("a refused request listed handoffs (limits %v)", l.limits)
			}
		})
	}
}
