package kaleyra

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestSendSeedErrors(t *testing.T) {
	tests := []struct {
		name      string
		file      string
		status    int
		code      string
		field     string
		retryable bool
	}{
		{name: "RBC001 data array", file: "rbc001.json", status: 401, code: CodeAuth, field: "error"},
		{name: "WA401", file: "wa401.json", status: 401, code: CodeNumber, field: "phone_number"},
		{name: "WA-401 account type", file: "wa-401-account.json", status: 401, code: CodeAccountType, field: "account"},
		{name: "WA-401 API version", file: "wa-401-version.json", status: 401, code: CodeAccountType, field: "phone_number"},
		{name: "WA400", file: "wa400.json", status: 400, code: CodeBadPayload, field: "payload"},
		{name: "E110", file: "e110.json", status: 400, code: CodeLowBalance, field: "balance"},
		{name: "WA500", file: "wa500.json", status: 500, code: CodeInternal, field: "error", retryable: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, c := startFake(t, tt.status, readTestdata(t, "errors/"+tt.file))
			_, err := c.Send(context.Background(), sessionOut())
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("Send() error = %v (%T), want *APIError", err, err)
			}
			if apiErr.Status != tt.status || apiErr.Code != tt.code || apiErr.Message == "" || apiErr.Fields[tt.field] == "" {
				t.Errorf("APIError = %+v, want status %d, code %s, a message and field %q", apiErr, tt.status, tt.code, tt.field)
			}
			if got := Retryable(err); got != tt.retryable || apiErr.Retryable() != tt.retryable {
				t.Errorf("Retryable = %v, want %v", got, tt.retryable)
			}
			checkNoKey(t, err)
		})
	}
}

func TestSendOtherErrors(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		answer    string
		code      string
		message   string
		retryable bool
	}{
		{name: "proxy 502 HTML", status: 502, answer: "<html>\n<b>Bad gateway</b></html>", message: "<html> <b>Bad gateway</b></html>", retryable: true},
		{name: "503 empty", status: 503, retryable: true},
		{name: "404 empty", status: 404},
		{name: "403 unknown code", status: 403, answer: `{"code":"X1","message":"no","data":{},"error":[]}`, code: "X1", message: "no"},
		{name: "429 throttled", status: 429, answer: `{"code":"WA429","message":"slow down"}`, code: "WA429", message: "slow down", retryable: true},
		{name: "WA500 on a 4xx", status: 400, answer: `{"code":"WA500"}`, code: CodeInternal, retryable: true},
		{name: "400 missing commas", status: 400, answer: "{\n\"code\":\"WA400\"\n\"message\":\"bad\"\n}", code: CodeBadPayload, message: "bad"},
		{name: "307 redirect not followed", status: 307, answer: "", retryable: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, c := startFake(t, tt.status, []byte(tt.answer))
			_, err := c.Send(context.Background(), sessionOut())
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("Send() error = %v (%T), want *APIError", err, err)
			}
			if apiErr.Status != tt.status || apiErr.Code != tt.code || apiErr.Message != tt.message {
				t.Errorf("APIError = %+v, want status %d, code %q, message %q", apiErr, tt.status, tt.code, tt.message)
			}
			if Retryable(err) != tt.retryable {
				t.Errorf("Retryable = %v, want %v", Retryable(err), tt.retryable)
			}
		})
	}
}

func TestAPIErrorText(t *testing.T) {
	err := &APIError{Status: 401, Code: CodeAccountType, Message: "API is not available",
		Fields: map[string]string{"phone_number": "p", "account": "a"}}
	want := "kaleyra: HTTP 401 WA-401: API is not available; account: a; phone_number: p"
	if got := err.Error(); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got := (&APIError{Status: 502}).Error(); got != "kaleyra: HTTP 502" {
		t.Errorf("Error() = %q", got)
	}
}

func TestRetryable(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{name: "nil", err: nil},
		{name: "plain", err: errors.New("x")},
		{name: "sentinel", err: ErrNoWABA},
		{name: "wrapped WA500", err: fmt.Errorf("sending: %w", &APIError{Status: 500, Code: CodeInternal}), want: true},
		{name: "wrapped E110", err: fmt.Errorf("sending: %w", &APIError{Status: 400, Code: CodeLowBalance})},
		{name: "transport", err: &TransportError{Err: context.DeadlineExceeded}, want: true},
		{name: "joined", err: errors.Join(errors.New("a"), &TransportError{Err: errors.New("b")}), want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Retryable(tt.err); got != tt.want {
				t.Errorf("Retryable(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}

func TestAPIKeyEchoIsRedacted(t *testing.T) {
	answer := `{"code":"RBC001","message":"bad key ` + testKey + `","data":[],"error":{"` + testKey + `":"key ` + testKey + `"}}`
	_, c := startFake(t, 401, []byte(answer))
	_, err := c.Send(context.Background(), sessionOut())
	checkNoKey(t, err)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || !strings.Contains(apiErr.Message, redactedText) {
		t.Errorf("error = %v, want the key replaced by %s", err, redactedText)
	}
}

// TestAPIErrorMasksPhones checks that numbers an answer quotes are masked
// in the error, which is logged, while other digits are kept.
func TestAPIErrorMasksPhones(t *testing.T) {
	answer := `{"code":"WA400","message":"cannot send to +919812345678 (account HXIN1234567890, 42 tries)",` +
		`"error":{"to":"919812345678"}}`
	_, c := startFake(t, 400, []byte(answer))
	_, err := c.Send(context.Background(), sessionOut())
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error = %v, want an *APIError", err)
	}
	if strings.Contains(err.Error(), "9812345678") {
		t.Errorf("error %q holds the recipient's number", err)
	}
	wantMsg := "cannot send to +91*******678 (account HXIN1234567890, 42 tries)"
	if apiErr.Message != wantMsg || apiErr.Fields["to"] != "91*******678" || apiErr.Code != CodeBadPayload {
		t.Errorf("error = %+v, want message %q and field to masked", apiErr, wantMsg)
	}
}

func TestRedactErr(t *testing.T) {
	inner := fmt.Errorf("dial %s: %w", testKey, context.Canceled)
	err := &TransportError{Err: redactErr(inner, testKey)}
	checkNoKey(t, err)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("redacted error lost its chain: %v", err)
	}
}

// checkNoKey fails when err's text, in any format, holds the test API key.
func checkNoKey(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		t.Fatal("want an error")
	}
	for _, verb := range []string{"%v", "%+v", "%s", "%q"} {
		if s := fmt.Sprintf(verb, err); strings.Contains(s, testKey) {
			t.Errorf("error text holds the API key: %s", s)
		}
	}
}
