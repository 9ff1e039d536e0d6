package kaleyra

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/souk-commerce/souk/bot/kaleyra/kaleyratest"
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

// last returns the last request k recorded, failing when there is none.
func last(t *testing.T, k *kaleyratest.Listener) kaleyratest.Request {
	t.Helper()
	reqs := k.Requests()
	if len(reqs) == 0 {
		t.Fatal("server saw no request")
	}
	return reqs[len(reqs)-1]
}

// startFake starts a fake Kaleyra answering every send with status and
// answer, and a Client pointed at it.
func startFake(t *testing.T, status int, answer []byte) (*kaleyratest.Listener, *Client) {
	t.Helper()
	k := kaleyratest.Run(t)
	k.SetRespond(func(int, kaleyratest.Request) kaleyratest.Answer {
		return kaleyratest.Answer{Status: status, Body: string(answer)}
	})
	return k, mustNew(t, testConfig(k.URL))
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
func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
