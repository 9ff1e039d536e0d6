package kaleyra

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// accepted is the answer Kaleyra gives a send, as kaleyratest.Accept
// writes it.
const accepted = `{"code":"WA202","message":"Request Accepted","data":{"message_id":"A1B2C3D4E5F6G7H8I9J0"},"error":{}}`

// BenchmarkMessageID reads the message id of the answers a send gets.
func BenchmarkMessageID(b *testing.B) {
	for _, tt := range []struct{ name, body string }{
		{"compact", accepted},
		{"indented", readBenchdata(b, "success/wa202.json")},
		{"seed", readBenchdata(b, "success/wa202-seed.txt")},
	} {
		b.Run(tt.name, func(b *testing.B) {
			raw := []byte(tt.body)
			b.ReportAllocs()
			for b.Loop() {
				if messageID(raw) == "" {
					b.Fatal("no message id")
				}
			}
		})
	}
}

// BenchmarkSend is one Client.Send of a list reply: through a stub
// transport that answers at once (the client's own work), and to an
// httptest server.
func BenchmarkSend(b *testing.B) {
	b.Run("stub", func(b *testing.B) {
		cfg := testConfig("http://kaleyra.test")
		cfg.HTTPClient = &http.Client{Transport: stubTransport{}}
		benchSend(b, cfg)
	})
	b.Run("httptest", func(b *testing.B) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			w.WriteHeader(http.StatusAccepted)
			_, _ = io.WriteString(w, accepted)
		}))
		defer srv.Close()
		benchSend(b, testConfig(srv.URL))
	})
}

func benchSend(b *testing.B, cfg Config) {
	c, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	out := sessionOut()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if res, err := c.Send(ctx, out); err != nil || res.MessageID == "" {
			b.Fatal(res, err)
		}
	}
}

// stubTransport answers every request with accepted, after reading its
// body.
type stubTransport struct{}

func (stubTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	_, _ = io.Copy(io.Discard, r.Body)
	_ = r.Body.Close()
	return &http.Response{
		StatusCode: http.StatusAccepted, Header: http.Header{},
		Body: io.NopCloser(bytes.NewReader([]byte(accepted))), Request: r,
	}, nil
}

func readBenchdata(b *testing.B, name string) string {
	b.Helper()
	return string(readTestdata(b, name))
}
