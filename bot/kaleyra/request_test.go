package kaleyra

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"reflect"
	"testing"
)

// TestRequestLikeNewRequest holds the request a Client builds to the one
// http.NewRequestWithContext and Header.Set build from the URL: the same
// fields, body and GetBody, for retries and redirects.
func TestRequestLikeNewRequest(t *testing.T) {
	type ctxKey struct{}
	ctx := context.WithValue(context.Background(), ctxKey{}, 1)
	tests := []struct {
		name, base string
		waba       bool
		body       []byte
	}{
		{name: "session", base: "https://api.in.kaleyra.io", body: []byte(`{"a":1}`)},
		{name: "template", base: "https://api.in.kaleyra.io", waba: true, body: []byte(`{"b":2}`)},
		{name: "base URL with empty port", base: "http://127.0.0.1:/", body: []byte(`{}`)},
		{name: "empty body", base: "http://127.0.0.1:9000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustNew(t, testConfig(tt.base))
			to := &c.toNumber
			if tt.waba {
				to = &c.toWABA
			}
			got, err := c.request(ctx, to, tt.body)
			if err != nil {
				t.Fatal(err)
			}
			want, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.APIBase()+messagesPath(c.cfg, tt.waba), bytes.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			want.Header.Set("api-key", c.cfg.APIKey)
			want.Header.Set("Content-Type", "application/json")
			sameBodies(t, got, want)
			got.Body, got.GetBody, want.Body, want.GetBody = nil, nil, nil, nil
			if !reflect.DeepEqual(got, want) {
				t.Errorf("request = %+v\nwant %+v", got, want)
			}
		})
	}
}

// sameBodies fails unless got and want read the same body, both at once
// and again through GetBody.
func sameBodies(t *testing.T, got, want *http.Request) {
	t.Helper()
	if (got.Body == http.NoBody) != (want.Body == http.NoBody) {
		t.Errorf("Body is NoBody: %v, want %v", got.Body == http.NoBody, want.Body == http.NoBody)
	}
	for range 2 {
		if g, w := readAll(t, got.Body), readAll(t, want.Body); !bytes.Equal(g, w) {
			t.Errorf("body = %q, want %q", g, w)
		}
		var err error
		if got.Body, err = got.GetBody(); err != nil {
			t.Fatal(err)
		}
		if want.Body, err = want.GetBody(); err != nil {
			t.Fatal(err)
		}
	}
}

func readAll(t *testing.T, r io.Reader) []byte {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestNewWithoutWABAID builds a Client whose template URL holds the
// placeholder: a config without a WABA id can still send session
// messages.
func TestNewWithoutWABAID(t *testing.T) {
	cfg := testConfig("")
	cfg.WABAID = ""
	if got := mustNew(t, cfg).toWABA.url.Path; got != "/v2/HXIN1234567890IN/whatsapp/{WABA_ID}/messages" {
		t.Errorf("template path = %q", got)
	}
}
