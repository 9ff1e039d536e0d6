package webhook

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/whatsapp"
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
