package kaleyra

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

// testKey is the API key of every test config; no error text may hold it.
const testKey = "key-5e1f0c7a9b3d"

// testConfig returns a complete config pointing at base.
func testConfig(base string) Config {
	return Config{
		APIKey:  testKey,
		SID:     "HXIN1234567890IN",
		BaseURL: base,
		Number:  "+919800000001",
		WABAID:  "104996345678901",
	}
}

// sessionOut returns a session (non-template) message.
func sessionOut() whatsapp.Outbound {
	return whatsapp.Outbound{
		ID:        "01JTESTSESSION",
		To:        "919812345678",
		Message:   whatsapp.Text{Body: "Hello from the pizzeria"},
		ExtraInfo: whatsapp.ExtraInfo{Ref: "01JTESTSESSION", WASource: "api"},
	}
}

// templateOut returns a single-product template message.
func templateOut() whatsapp.Outbound {
	return whatsapp.Outbound{
		ID: "01JTESTTEMPLATE",
		To: "919812345678",
		Message: whatsapp.Template{
			Name: "spm_offer", Language: "en", CatalogID: "1033000049",
			ProductID: "pz-margherita", BodyParams: []string{"Ana"},
		},
		ExtraInfo: whatsapp.ExtraInfo{Ref: "01JTESTTEMPLATE"},
	}
}

// mustRequest returns out's request body or fails the test.
func mustRequest(t *testing.T, out whatsapp.Outbound) []byte {
	t.Helper()
	body, _, err := out.Request()
	if err != nil {
		t.Fatalf("Request: %v", err)
	}
	return body
}

// recorded is one request the fake server saw.
type recorded struct {
	method string
	path   string
	header http.Header
	body   []byte
}

// fakeKaleyra answers every request with one status and body and records
// what it was sent.
type fakeKaleyra struct {
	status int
	answer []byte

	mu  sync.Mutex
	got []recorded
}

// ServeHTTP records r and writes the canned answer.
func (f *fakeKaleyra) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.got = append(f.got, recorded{r.Method, r.URL.EscapedPath(), r.Header.Clone(), body})
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(f.status)
	_, _ = w.Write(f.answer)
}

// last returns the last recorded request, failing when there is none.
func (f *fakeKaleyra) last(t *testing.T) recorded {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.got) == 0 {
		t.Fatal("server saw no request")
	}
	return f.got[len(f.got)-1]
}

// startFake starts a fake Kaleyra answering status and answer, and a Client
// pointed at it.
func startFake(t *testing.T, status int, answer []byte) (*fakeKaleyra, *Client) {
	t.Helper()
	f := &fakeKaleyra{status: status, answer: answer}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, mustNew(t, testConfig(srv.URL))
}

// mustNew returns New(cfg) or fails the test.
func mustNew(t *testing.T, cfg Config) *Client {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// readTestdata returns the content of testdata/name.
func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
