package kaleyratest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/kaleyra/kaleyratest"
	"github.com/souk-commerce/souk/bot/whatsapp"
)

const apiKey = "key-mock-0001"

func text() whatsapp.Outbound {
	return whatsapp.Outbound{ID: "out1", To: "15550001111", Message: whatsapp.Text{Body: "hello"}}
}

// clients returns a Kaleyra client on the mock in-process and one over a
// loopback socket, so every case runs both ways.
func clients(t *testing.T, mock *kaleyratest.Server, timeout time.Duration) map[string]*kaleyra.Client {
	t.Helper()
	l, err := kaleyratest.Start(mock, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	cfg := kaleyra.Config{APIKey: apiKey, SID: "SID1", Number: "15550000000", WABAID: "WABA1", Timeout: timeout}
	inproc, sock := cfg, cfg
	inproc.BaseURL, inproc.HTTPClient = "http://kaleyra.test", &http.Client{Transport: mock.Transport(), Timeout: timeout}
	sock.BaseURL = l.URL
	out := map[string]*kaleyra.Client{}
	for name, c := range map[string]kaleyra.Config{"in-process": inproc, "socket": sock} {
		cl, err := kaleyra.New(c)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = cl
	}
	return out
}

func TestFailureInjection(t *testing.T) {
	tests := []struct {
		name      string
		failure   kaleyratest.Failure
		status    int
		code      string
		retryable bool
	}{
		{name: "WA400", failure: kaleyratest.Failure{Code: "WA400"}, status: 400, code: kaleyra.CodeBadPayload},
		{name: "RBC001", failure: kaleyratest.Failure{Code: "RBC001"}, status: 401, code: kaleyra.CodeAuth},
		{name: "WA401", failure: kaleyratest.Failure{Code: "WA401"}, status: 401, code: kaleyra.CodeNumber},
		{name: "WA-401", failure: kaleyratest.Failure{Code: "WA-401"}, status: 401, code: kaleyra.CodeAccountType},
		{name: "E110", failure: kaleyratest.Failure{Code: "E110"}, status: 400, code: kaleyra.CodeLowBalance},
		{name: "WA500", failure: kaleyratest.Failure{Code: "WA500"}, status: 500, code: kaleyra.CodeInternal, retryable: true},
		{name: "custom status", failure: kaleyratest.Failure{Code: "WA500", Status: 503}, status: 503, code: kaleyra.CodeInternal, retryable: true},
	}
	for _, tt := range tests {
		mock := kaleyratest.New()
		for via, c := range clients(t, mock, 5*time.Second) {
			t.Run(tt.name+"/"+via, func(t *testing.T) {
				mock.Reset()
				mock.FailNext(tt.failure)
				_, err := c.Send(context.Background(), text())
				var apiErr *kaleyra.APIError
				if !errors.As(err, &apiErr) || apiErr.Status != tt.status || apiErr.Code != tt.code || apiErr.Message == "" {
					t.Fatalf("Send() error = %v, want HTTP %d %s with a message", err, tt.status, tt.code)
				}
				if kaleyra.Retryable(err) != tt.retryable {
					t.Errorf("Retryable = %v, want %v", !tt.retryable, tt.retryable)
				}
				res, err := c.Send(context.Background(), text())
				if err != nil || res.Status != http.StatusAccepted || res.MessageID == "" {
					t.Fatalf("second Send() = %+v, %v; want 202 with a message id (failures are one-shot)", res, err)
				}
				if reqs := mock.Requests(); len(reqs) != 2 || reqs[0].Code != tt.failure.Code || reqs[1].MessageID != res.MessageID {
					t.Errorf("recorded %+v, want the failure then the success", reqs)
				}
			})
		}
	}
}

func TestTransportFailures(t *testing.T) {
	tests := []struct {
		name  string
		setup func(*kaleyratest.Server)
	}{
		{name: "dropped connection", setup: func(s *kaleyratest.Server) { s.FailNext(kaleyratest.Failure{Code: kaleyratest.CodeDrop}) }},
		{name: "latency past the client timeout", setup: func(s *kaleyratest.Server) { s.SetLatency(2 * time.Second) }},
	}
	for _, tt := range tests {
		mock := kaleyratest.New()
		for via, c := range clients(t, mock, 200*time.Millisecond) {
			t.Run(tt.name+"/"+via, func(t *testing.T) {
				mock.Reset()
				tt.setup(mock)
				_, err := c.Send(context.Background(), text())
				var te *kaleyra.TransportError
				if !errors.As(err, &te) || !kaleyra.Retryable(err) {
					t.Fatalf("Send() error = %v (%T), want a retryable *kaleyra.TransportError", err, err)
				}
			})
		}
	}
}

func TestRecordsRequests(t *testing.T) {
	mock := kaleyratest.New()
	mock.APIKey = apiKey
	for via, c := range clients(t, mock, 5*time.Second) {
		t.Run(via, func(t *testing.T) {
			mock.Reset()
			tmpl := whatsapp.Outbound{ID: "t1", To: "15550001111", Message: whatsapp.Template{Name: "offer", Language: "en",
				CatalogID: "42", ProductID: "pz-1", BodyParams: []string{"Sam"}}}
			for _, out := range []whatsapp.Outbound{text(), tmpl} {
				if _, err := c.Send(context.Background(), out); err != nil {
					t.Fatal(err)
				}
			}
			reqs := mock.WaitFor(2, time.Second)
			want := []string{"/v2/SID1/whatsapp/15550000000/messages", "/v2/SID1/whatsapp/WABA1/messages"}
			for i, r := range reqs {
				if r.Path != want[i] || r.Header.Get("api-key") != apiKey || r.Status != 202 || !json.Valid(r.Body) {
					t.Errorf("request %d = %s %s %d %s, want %s with the api-key, 202 and a JSON body", i, r.Method, r.Path, r.Status, r.Body, want[i])
				}
			}
			if !strings.Contains(string(reqs[0].Body), `"messaging_object"`) || !strings.Contains(string(reqs[1].Body), `"type":"template"`) {
				t.Errorf("bodies = %s / %s", reqs[0].Body, reqs[1].Body)
			}
		})
	}
}

func TestWrongAPIKeyAndBadPayload(t *testing.T) {
	mock := kaleyratest.New()
	mock.APIKey = "another-key"
	c := clients(t, mock, time.Second)["in-process"]
	_, err := c.Send(context.Background(), text())
	var apiErr *kaleyra.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != kaleyra.CodeAuth {
		t.Fatalf("wrong key: error = %v, want RBC001", err)
	}
	mock.APIKey = ""
	resp, err := mock.Client().Post("http://kaleyra.test/v2/S/whatsapp/1/messages", "application/json", strings.NewReader(`{"to":"1"}`))
	if err != nil || resp.StatusCode != 400 {
		t.Fatalf("bad payload: %v %v, want 400", resp, err)
	}
}

func TestFailRate(t *testing.T) {
	tests := []struct {
		name     string
		p        float64
		min, max int // failures out of 50
	}{
		{name: "never", p: 0, min: 0, max: 0},
		{name: "always", p: 1, min: 50, max: 50},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mock := kaleyratest.New()
			mock.FailRate("WA500", tt.p)
			c := clients(t, mock, time.Second)["in-process"]
			failed := 0
			for range 50 {
				if _, err := c.Send(context.Background(), text()); err != nil {
					failed++
				}
			}
			if failed < tt.min || failed > tt.max {
				t.Errorf("%d of 50 failed, want %d..%d", failed, tt.min, tt.max)
			}
		})
	}
}

func TestControlRoutes(t *testing.T) {
	mock := kaleyratest.New()
	l, err := kaleyratest.Start(mock, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	do := func(method, path string) int {
		req, _ := http.NewRequest(method, l.URL+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	tests := []struct {
		name, method, path string
		status             int
	}{
		{name: "fail twice", method: "POST", path: "/_mock/fail?code=E110&times=2", status: 200},
		{name: "unknown code", method: "POST", path: "/_mock/fail?code=NOPE", status: 400},
		{name: "latency", method: "POST", path: "/_mock/latency?d=1ms", status: 200},
		{name: "bad latency", method: "POST", path: "/_mock/latency?d=soon", status: 400},
		{name: "rate", method: "POST", path: "/_mock/rate?code=WA500&p=0", status: 200},
		{name: "list", method: "GET", path: "/_mock/requests", status: 200},
		{name: "unknown route", method: "GET", path: "/_mock/nothing", status: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := do(tt.method, tt.path); got != tt.status {
				t.Errorf("%s %s = %d, want %d", tt.method, tt.path, got, tt.status)
			}
		})
	}
	c, _ := kaleyra.New(kaleyra.Config{APIKey: "k", SID: "S", Number: "1555", BaseURL: l.URL})
	for i, want := range []string{"E110", "E110", ""} {
		_, err := c.Send(context.Background(), text())
		var apiErr *kaleyra.APIError
		if got := ""; errors.As(err, &apiErr) {
			got = apiErr.Code
			if got != want {
				t.Errorf("send %d: code %q, want %q", i, got, want)
			}
		} else if want != "" || err != nil {
			t.Errorf("send %d: error %v, want code %q", i, err, want)
		}
	}
	if do("DELETE", "/_mock/requests") != 200 || mock.Len() != 0 {
		t.Errorf("DELETE /_mock/requests did not reset")
	}
	resp, err := http.Get(l.URL + "/_mock/requests")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if body, _ := io.ReadAll(resp.Body); strings.TrimSpace(string(body)) != "[]" {
		t.Errorf("GET /_mock/requests after a reset = %s, want []", body)
	}
}
