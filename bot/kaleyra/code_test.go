package kaleyra

import (
	"errors"
	"fmt"
	"testing"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

// TestCodeOf checks the words a send's result is labelled with: only
// codes Kaleyra documents pass through, since an answer's code could be
// any text (a phone number, or bytes that are not UTF-8, which the
// metrics client refuses with a panic).
func TestCodeOf(t *testing.T) {
	tests := []struct {
		name string
		res  Result
		err  error
		want string
	}{
		{"accepted", Result{Status: 202}, nil, "202"},
		{"a documented code", Result{}, &APIError{Status: 400, Code: CodeBadPayload}, "WA400"},
		{"a code with a phone number in it", Result{}, &APIError{Status: 400, Code: "ERR-919876543214-0"}, "http_400"},
		{"a code that is not UTF-8", Result{}, &APIError{Status: 502, Code: "\xff\xfe\n"}, "http_502"},
		{"no code", Result{}, &APIError{Status: 503}, "http_503"},
		{"no answer", Result{}, &TransportError{Err: errors.New("reset")}, "transport"},
		{"the window closed", Result{}, fmt.Errorf("%w (at x)", whatsapp.ErrSendByPassed), "outside_window"},
		{"anything else", Result{}, errors.New("bad request"), "invalid"},
	}
	for _, tt := range tests {
		if got := CodeOf(tt.res, tt.err); got != tt.want {
			t.Errorf("%s: CodeOf = %q, want %q", tt.name, got, tt.want)
		}
	}
}
