package kaleyra

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

func TestSendRequest(t *testing.T) {
	tests := []struct {
		name     string
		out      whatsapp.Outbound
		wantPath string
	}{
		{name: "session message to the number", out: sessionOut(),
			wantPath: "/v2/HXIN1234567890IN/whatsapp/919800000001/messages"},
		{name: "template to the WABA", out: templateOut(),
			wantPath: "/v2/HXIN1234567890IN/whatsapp/104996345678901/messages"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, c := startFake(t, http.StatusAccepted, readTestdata(t, "success/wa202.json"))
			if _, err := c.Send(context.Background(), tt.out); err != nil {
				t.Fatalf("Send: %v", err)
			}
			got := last(t, f)
			if got.Method != http.MethodPost || got.Path != tt.wantPath {
				t.Errorf("request = %s %s, want POST %s", got.Method, got.Path, tt.wantPath)
			}
			if want := mustRequest(t, tt.out); !bytes.Equal(got.Body, want) {
				t.Errorf("body = %s, want exactly %s", got.Body, want)
			}
			checkHeaders(t, got.Header)
		})
	}
}

// checkHeaders fails unless h carries exactly the api-key and JSON
// content type.
func checkHeaders(t *testing.T, h http.Header) {
	t.Helper()
	want := map[string]string{"Api-Key": testKey, "Content-Type": "application/json"}
	for k, v := range want {
		if got := h.Values(k); len(got) != 1 || got[0] != v {
			t.Errorf("header %s = %q, want [%q]", k, got, v)
		}
	}
}

func TestSendSuccess(t *testing.T) {
	tests := []struct {
		name   string
		status int
		answer []byte
		wantID string
	}{
		{name: "202 WA202", status: 202, answer: readTestdata(t, "success/wa202.json"), wantID: "A1B2C3D4E5F6G7H8I9J0"},
		{name: "202 seed sample with missing commas", status: 202, answer: readTestdata(t, "success/wa202-seed.txt"), wantID: "AXXXXXXXXXXXXXXXXXXX"},
		{name: "200 WA200", status: 200, answer: []byte(`{"code":"WA200","data":{"message_id":"M1"}}`), wantID: "M1"},
		{name: "202 empty body", status: 202, answer: nil, wantID: ""},
		{name: "202 not JSON", status: 202, answer: []byte("<html>accepted</html>"), wantID: ""},
		{name: "202 data is an array", status: 202, answer: []byte(`{"code":"WA202","data":[]}`), wantID: ""},
		{name: "202 message_id is a number", status: 202, answer: []byte(`{"code":"WA202","data":{"message_id":7}}`), wantID: ""},
		{name: "202 code is a number", status: 202, answer: []byte(`{"code":202,"data":{"message_id":"M2"}}`), wantID: "M2"},
		{name: "202 answer is an array", status: 202, answer: []byte(` [{"data":{"message_id":"M3"}}]`), wantID: "M3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, c := startFake(t, tt.status, tt.answer)
			res, err := c.Send(context.Background(), sessionOut())
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			if want := (Result{MessageID: tt.wantID, Status: tt.status}); res != want {
				t.Errorf("Send() = %+v, want %+v", res, want)
			}
		})
	}
}

func TestSendTemplateWithoutWABA(t *testing.T) {
	f, c := startFake(t, 202, nil)
	c.cfg.WABAID = ""
	_, err := c.Send(context.Background(), templateOut())
	if !errors.Is(err, ErrNoWABA) || Retryable(err) {
		t.Fatalf("Send() error = %v, want ErrNoWABA, not retryable", err)
	}
	if n := f.Len(); n != 0 {
		t.Errorf("server saw %d requests, want none", n)
	}
}

func TestSendBadOutbound(t *testing.T) {
	_, c := startFake(t, 202, nil)
	_, err := c.Send(context.Background(), whatsapp.Outbound{To: "919812345678"})
	if err == nil || Retryable(err) {
		t.Fatalf("Send(no message) error = %v, want a non-retryable error", err)
	}
}

func TestNew(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want error
	}{
		{name: "complete", cfg: testConfig("")},
		{name: "no API key", cfg: Config{SID: "s", Number: "1"}, want: ErrNoAPIKey},
		{name: "no SID", cfg: Config{APIKey: "k", Number: "1"}, want: ErrNoSID},
		{name: "bad pod", cfg: Config{APIKey: "k", SID: "s", Number: "1", Pod: "mars"}, want: ErrPod},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg)
			if (tt.want == nil) != (err == nil) || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Errorf("New() error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestSendURLPerPod(t *testing.T) {
	tests := []struct {
		name, pod, base, want string
	}{
		{name: "default", want: "https://api.in.kaleyra.io"},
		{name: "in", pod: "in", want: "https://api.in.kaleyra.io"},
		{name: "sg", pod: "sg", want: "https://api.ap.kaleyra.io"},
		{name: "eu", pod: "eu", want: "https://api.eu.kaleyra.io"},
		{name: "na", pod: "na", want: "https://api.na.kaleyra.ai"},
		{name: "base URL override", pod: "eu", base: "http://127.0.0.1:9000/", want: "http://127.0.0.1:9000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			cfg := testConfig(tt.base)
			cfg.Pod = tt.pod
			cfg.HTTPClient = &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
				got = r.URL.String()
				return &http.Response{StatusCode: 202, Body: io.NopCloser(strings.NewReader("{}"))}, nil
			})}
			if _, err := mustNew(t, cfg).Send(context.Background(), sessionOut()); err != nil {
				t.Fatal(err)
			}
			if want := tt.want + "/v2/HXIN1234567890IN/whatsapp/919800000001/messages"; got != want {
				t.Errorf("URL = %q, want %q", got, want)
			}
		})
	}
}

// roundTripFunc adapts a function to http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

// RoundTrip calls f.
func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
