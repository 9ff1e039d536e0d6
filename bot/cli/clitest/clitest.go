// Package clitest runs souk end to end for tests: the fake Kaleyra API of
// package kaleyratest on a loopback port, and `souk serve` (or any other
// subcommand) on a real loopback port with a developer's handlers.
//
//	k := clitest.NewKaleyra(t)
//	srv := clitest.Serve(t, reg, k.Env(map[string]string{"SOUK_FLOW": "flow.yaml"}))
//	srv.Meta(t, "wamid.1", `"type":"text","text":{"body":"hi"}`)
//	reqs := k.Wait(t, 1)
//	reqs[0].Field("messaging_object", "interactive", "type") // "list"
package clitest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/bottest"
	"github.com/souk-commerce/souk/bot/cli"
	"github.com/souk-commerce/souk/bot/kaleyra/kaleyratest"
	"github.com/souk-commerce/souk/handlers"
)

// Shopper and Business are the numbers the helpers use.
const (
	Shopper  = "919876543210"
	Business = "919800011122"
)

// Kaleyra is the fake Kaleyra API (kaleyratest) on a loopback port; it
// accepts every well-formed send with a 202 and records it. Everything a
// kaleyratest.Server does (FailNext, SetRespond, Texts...) works on it.
type Kaleyra struct {
	*kaleyratest.Listener
}

// NewKaleyra starts a fake Kaleyra API, closed when the test ends.
func NewKaleyra(t *testing.T) *Kaleyra {
	return &Kaleyra{kaleyratest.Run(t)}
}

// Env returns the environment that points souk at k, plus extra.
func (k *Kaleyra) Env(extra map[string]string) map[string]string {
	env := map[string]string{"KALEYRA_API_KEY": "test-key", "KALEYRA_SID": "HXAP1", "KALEYRA_NUMBER": Business,
		"KALEYRA_WABA_ID": "waba-1", "KALEYRA_BASE_URL": k.URL, "SOUK_ADDR": "127.0.0.1:0"}
	for key, v := range extra {
		env[key] = v
	}
	return env
}

// Wait waits until n requests arrived since the last Wait or Take (failing
// the test after 5 seconds, or when more arrived), then returns and forgets
// them.
func (k *Kaleyra) Wait(t *testing.T, n int) []kaleyratest.Request {
	t.Helper()
	k.WaitFor(n, 5*time.Second)
	reqs := k.Take()
	if len(reqs) != n {
		t.Fatalf("fake Kaleyra got %d requests, want %d: %v", len(reqs), n, reqs)
	}
	return reqs
}

// Server is a running `souk serve`.
type Server struct {
	URL  string
	logs *bottest.Buffer
}

// Logs returns what the server logged so far.
func (s *Server) Logs() string { return s.logs.String() }

// Serve runs `souk serve` with reg's handlers and env as its environment
// until the test ends, and waits until it listens.
func Serve(t *testing.T, reg *handlers.Registry, env map[string]string) *Server {
	t.Helper()
	logs := &bottest.Buffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- cli.Run(ctx, &cli.Env{Stdin: strings.NewReader(""), Stdout: logs, Stderr: logs, Handlers: reg,
			Getenv: func(k string) string { return env[k] }}, []string{"serve"})
	}()
	t.Cleanup(func() { cancel(); <-done })
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if addr := listening(logs.String()); addr != "" {
			return &Server{URL: "http://" + addr, logs: logs}
		}
		select {
		case code := <-done:
			done <- code // for the cleanup, which waits for it
			t.Fatalf("souk serve exited with %d:\n%s", code, logs)
		case <-time.After(5 * time.Millisecond):
		}
	}
	t.Fatalf("souk serve did not start listening:\n%s", logs)
	return nil
}

// listening finds the address in the "souk serving" log line.
func listening(logs string) string {
	for _, line := range strings.Split(logs, "\n") {
		var rec struct {
			Msg, Addr string
		}
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "souk serving" {
			return rec.Addr
		}
	}
	return ""
}

// Post sends body to path with the given headers and returns the status
// and response body.
func (s *Server) Post(t *testing.T, path, body string, headers ...string) (int, string) {
	t.Helper()
	return s.do(t, http.MethodPost, path, body, headers...)
}

// Get fetches path with the given headers and returns the status and
// response body.
func (s *Server) Get(t *testing.T, path string, headers ...string) (int, string) {
	t.Helper()
	return s.do(t, http.MethodGet, path, "", headers...)
}

func (s *Server) do(t *testing.T, method, path, body string, headers ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

// Meta posts one shopper message in Meta's envelope; message holds the
// message's type and body fields, e.g. `"type":"text","text":{"body":"hi"}`.
// It fails the test unless the webhook answers 200.
func (s *Server) Meta(t *testing.T, id, message string) {
	t.Helper()
	body := `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
"messaging_product":"whatsapp","metadata":{"display_phone_number":"` + Business + `","phone_number_id":"555"},
"contacts":[{"profile":{"name":"Asha"},"wa_id":"` + Shopper + `"}],
"messages":[{"from":"` + Shopper + `","id":"` + id + `","timestamp":"` + fmt.Sprint(time.Now().Unix()) + `",` + message + `}]}}]}]}`
	if code, resp := s.Post(t, "/webhook", body); code != http.StatusOK {
		t.Fatalf("webhook answered %d: %s", code, resp)
	}
}

// Text posts typed text from the shopper.
func (s *Server) Text(t *testing.T, id, text string) {
	t.Helper()
	s.Meta(t, id, `"type":"text","text":{"body":`+quote(text)+`}`)
}

// Tap posts a tapped list row.
func (s *Server) Tap(t *testing.T, id, row string) {
	t.Helper()
	s.Meta(t, id, `"type":"interactive","interactive":{"type":"list_reply","list_reply":{"id":`+quote(row)+`,"title":"x"}}`)
}

// Button posts a tapped reply button.
func (s *Server) Button(t *testing.T, id, button string) {
	t.Helper()
	s.Meta(t, id, `"type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":`+quote(button)+`,"title":"x"}}`)
}

// Cart posts an order; items is the product_items JSON array.
func (s *Server) Cart(t *testing.T, id, items string) {
	t.Helper()
	s.Meta(t, id, `"type":"order","order":{"catalog_id":"1","product_items":`+items+`}`)
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Texts returns the body of each text message in reqs ("" for others).
func Texts(reqs []kaleyratest.Request) []string {
	out := make([]string, len(reqs))
	for i, r := range reqs {
		out[i] = r.Text()
	}
	return out
}

// WriteFlow writes src as flow.yaml in a directory of the test's own and
// returns its path.
func WriteFlow(t *testing.T, src string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "flow.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
