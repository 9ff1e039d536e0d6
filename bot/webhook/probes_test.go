package webhook

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

type downPinger struct{}

func (downPinger) Ping(context.Context) error { return errors.New("connection refused") }

// TestProbes checks /healthz and /readyz for GET and for HEAD, which some
// load balancers probe with: HEAD gets the status and no body.
func TestProbes(t *testing.T) {
	up, _, _ := newFakeServer(t, Config{})
	down, err := New(Config{Engine: &fakeEngine{}, Store: downPinger{}, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		srv    *Server
		method string
		path   string
		want   int
	}{
		{up, http.MethodGet, "/healthz", 200},
		{up, http.MethodHead, "/healthz", 200},
		{up, http.MethodGet, "/readyz", 200},
		{up, http.MethodHead, "/readyz", 200},
		{down, http.MethodGet, "/readyz", 503},
		{down, http.MethodHead, "/readyz", 503},
		{down, http.MethodHead, "/healthz", 200},
	}
	for _, tt := range tests {
		ts := httptest.NewServer(tt.srv)
		resp, err := http.DefaultClient.Do(mustRequest(t, tt.method, ts.URL+tt.path))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		ts.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("%s %s = %d, want %d", tt.method, tt.path, resp.StatusCode, tt.want)
		}
	}
}

func mustRequest(t *testing.T, method, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// TestReadyzLogsCause checks that a failing /readyz logs why the store is
// unreachable but answers only that it is: the cause can name hosts.
func TestReadyzLogsCause(t *testing.T) {
	log, logs := newLogger()
	srv, err := New(Config{Engine: &fakeEngine{}, Store: downPinger{}, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	if rec.Code != 503 || rec.Body.String() != `{"error":"store unreachable"}`+"\n" {
		t.Fatalf("GET /readyz = %d %q", rec.Code, rec.Body)
	}
	if !strings.Contains(logs.String(), `"error":"store unreachable","cause":"connection refused"`) {
		t.Fatalf("the request line does not give the cause:\n%s", logs)
	}
}
