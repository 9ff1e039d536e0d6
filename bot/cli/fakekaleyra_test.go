package cli

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// recorded is one request the fake Kaleyra API received.
type recorded struct {
	Method, Path string
	Header       http.Header
	Body         []byte
}

// fakeKaleyra is a Kaleyra API on loopback that records requests and
// answers 202 with a message id.
type fakeKaleyra struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []recorded
}

func newFakeKaleyra(t *testing.T) *fakeKaleyra {
	f := &fakeKaleyra{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.reqs = append(f.reqs, recorded{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body})
		n := len(f.reqs)
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusAccepted)
		fmt.Fprintf(w, `{"code":"WA202","message":"Request Accepted","data":{"message_id":"kal-%d"}}`, n)
	}))
	t.Cleanup(f.Close)
	return f
}

// waitFor polls until the fake holds n requests or the deadline passes,
// and returns those past the first `from`.
func (f *fakeKaleyra) waitFor(t *testing.T, from, n int) []recorded {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		f.mu.Lock()
		got := append([]recorded(nil), f.reqs...)
		f.mu.Unlock()
		if len(got) >= from+n || time.Now().After(deadline) {
			if len(got) < from+n {
				t.Fatalf("fake Kaleyra got %d requests, want %d", len(got)-from, n)
			}
			return got[from:]
		}
		time.Sleep(5 * time.Millisecond) // polling interval, not a wait for a fixed time
	}
}

func (f *fakeKaleyra) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.reqs)
}
