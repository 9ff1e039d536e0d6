package kaleyratest

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// ErrDropped is what Transport returns for a CodeDrop failure, as a real
// connection cut would surface.
var ErrDropped = errors.New("kaleyratest: connection dropped")

// Transport returns an http.RoundTripper that runs the Server in-process:
// no socket, but the client builds, sends and decodes real HTTP requests.
func (s *Server) Transport() http.RoundTripper { return transport{s} }

// Client returns an *http.Client on Transport, for kaleyra.Config.HTTPClient.
func (s *Server) Client() *http.Client { return &http.Client{Transport: s.Transport()} }

type transport struct{ s *Server }

// RoundTrip implements http.RoundTripper.
func (t transport) RoundTrip(req *http.Request) (resp *http.Response, err error) {
	rec := httptest.NewRecorder()
	defer func() {
		if p := recover(); p != nil {
			if p != http.ErrAbortHandler {
				panic(p)
			}
			resp, err = nil, fmt.Errorf("%w (%s)", ErrDropped, req.URL.Path)
		}
	}()
	if req.Body == nil {
		req.Body = http.NoBody
	}
	t.s.ServeHTTP(rec, req)
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	resp = rec.Result()
	resp.Request = req
	return resp, nil
}

// Listener is a Server answering on a real socket.
type Listener struct {
	*Server
	// URL is the base URL to give kaleyra.Config.BaseURL (KALEYRA_BASE_URL).
	URL string
	hs  *http.Server
	ln  net.Listener
}

// Start serves s on addr (":0" picks a free port) until Close.
func Start(s *Server, addr string) (*Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	l := &Listener{Server: s, URL: "http://" + ln.Addr().String(), ln: ln,
		hs: &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}}
	go func() { _ = l.hs.Serve(ln) }()
	return l, nil
}

// Run starts a new Server on a loopback port for one test and closes it
// when t ends:
//
//	k := kaleyratest.Run(t)
//	cfg := kaleyra.Config{APIKey: "k", SID: "SID", Number: "15550000000", BaseURL: k.URL}
func Run(t testing.TB) *Listener {
	t.Helper()
	l, err := Start(New(), "127.0.0.1:0")
	if err != nil {
		t.Fatalf("kaleyratest: %v", err)
	}
	t.Cleanup(func() { _ = l.Close() })
	return l
}

// Close stops the listener at once.
func (l *Listener) Close() error { return l.hs.Close() }
