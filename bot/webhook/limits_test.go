package webhook

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// countingReader is an endless body that counts the bytes read from it.
type countingReader struct{ n atomic.Int64 }

func (r *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	r.n.Add(int64(len(p)))
	return len(p), nil
}

func TestOversizedBody(t *testing.T) {
	tests := []struct {
		name          string
		cfg           Config
		contentLength int64 // -1: unknown (chunked)
		headers       map[string]string
		want          int
		maxRead       int64
	}{
		{"declared too large", Config{}, MaxBody + 1, nil, 413, 0},
		{"declared 1 GiB", Config{}, 1 << 30, nil, 413, 0},
		{"chunked, endless", Config{}, -1, nil, 413, MaxBody + 64<<10},
		{"wrong token, never read", Config{Token: "t"}, -1, map[string]string{"X-Webhook-Token": "x"}, 401, 0},
		{"signed, endless", Config{AppSecret: "s"}, -1, map[string]string{"X-Hub-Signature-256": "sha256=00"}, 413, MaxBody + 64<<10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, eng, _ := newFakeServer(t, tt.cfg)
			body := &countingReader{}
			req := httptest.NewRequest(http.MethodPost, "/webhook", body)
			req.ContentLength = tt.contentLength
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.want, rec.Body)
			}
			errorBody(t, rec)
			if got := body.n.Load(); got > tt.maxRead {
				t.Errorf("read %d bytes of the body, want at most %d", got, tt.maxRead)
			}
			if n := len(eng.handled()); n != 0 {
				t.Errorf("%d events processed", n)
			}
		})
	}
}

// TestBodyAtLimit checks that a body of exactly MaxBody bytes is read and
// decoded, not refused.
func TestBodyAtLimit(t *testing.T) {
	srv, eng, _ := newFakeServer(t, Config{})
	msg := metaMessage("919876543210", "wamid.limit", textMsg("hi"))
	body := msg + strings.Repeat(" ", MaxBody-len(msg))
	if rec := post(srv, body); rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if n := len(eng.handled()); n != 1 {
		t.Fatalf("%d events, want 1", n)
	}
}

// TestBatch3MB posts Meta's largest delivery, about 3 MB holding 1000
// messages from 1000 shoppers, to a real engine: all are processed.
func TestBatch3MB(t *testing.T) {
	rs := newRealServer(t, "")
	msgs := make([]string, 1000)
	filler := strings.Repeat("x", 2900)
	for i := range msgs {
		phone := fmt.Sprintf("9198%08d", i)
		msgs[i] = fmt.Sprintf(`{"from":%q,"id":"wamid.batch.%d","timestamp":"1763712000",%s}`, phone, i, textMsg("hi "+filler))
	}
	body := metaBatch("919800000000", msgs...)
	if len(body) < 3_000_000 || len(body) > MaxBody {
		t.Fatalf("batch is %d bytes, want about 3 MB", len(body))
	}
	rec := post(rs, body)
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	// Every shopper is new: each enters the start state and gets its messages.
	perShopper := len(rs.engineFlowStart(t))
	if got := rs.sent.Len(); got != 1000*perShopper {
		t.Fatalf("%d replies, want %d", got, 1000*perShopper)
	}
}

// TestTooManyEvents checks that a delivery of more events than Meta ever
// batches is refused with 413 before any of them is applied.
func TestTooManyEvents(t *testing.T) {
	srv, eng, _ := newFakeServer(t, Config{})
	msgs := make([]string, MaxEvents+1)
	for i := range msgs {
		msgs[i] = fmt.Sprintf(`{"from":"9198%08d","id":"wamid.many.%d","timestamp":"1763712000",%s}`, i, i, textMsg("hi"))
	}
	rec := post(srv, metaBatch("919800000000", msgs...))
	if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "at most 1000") {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if n := len(eng.handled()); n != 0 {
		t.Errorf("%d events applied from a refused delivery", n)
	}
}

// TestSlowClients runs a real loopback server with short timeouts and
// checks that a client that stalls in its headers or its body is cut off.
func TestSlowClients(t *testing.T) {
	srv, _, _ := newFakeServer(t, Config{})
	limit := 300 * time.Millisecond
	hs := srv.HTTPServer(Timeouts{ReadHeader: limit, Read: limit, Write: time.Second, Idle: limit})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	tests := []struct {
		name string
		send string // written, then the client stalls
	}{
		{"stalls in the headers", "POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Type: appl"},
		{"stalls in the body", "POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"object\":"},
		{"idle keep-alive", "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			start := time.Now()
			if _, err := io.WriteString(conn, tt.send); err != nil {
				t.Fatal(err)
			}
			// Read until the server closes the connection; fail if it
			// holds it open far past its timeout.
			conn.SetReadDeadline(time.Now().Add(5 * time.Second))
			_, err = io.Copy(io.Discard, bufio.NewReader(conn))
			took := time.Since(start)
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Fatalf("server kept the connection open for %v", took)
			}
			if took < limit/2 {
				t.Errorf("closed after %v, before the %v timeout", took, limit)
			}
		})
	}
}

func TestDefaultTimeoutsSet(t *testing.T) {
	srv, _, _ := newFakeServer(t, Config{})
	hs := srv.HTTPServer(Timeouts{})
	for name, d := range map[string]time.Duration{"ReadHeaderTimeout": hs.ReadHeaderTimeout,
		"ReadTimeout": hs.ReadTimeout, "WriteTimeout": hs.WriteTimeout, "IdleTimeout": hs.IdleTimeout} {
		if d <= 0 || d > 2*time.Minute {
			t.Errorf("%s = %v, want a bound of at most 2m", name, d)
		}
	}
	if hs.MaxHeaderBytes != MaxHeaderBytes {
		t.Errorf("MaxHeaderBytes = %d", hs.MaxHeaderBytes)
	}
}
