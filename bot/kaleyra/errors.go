package kaleyra

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Kaleyra's response codes, as they appear in the code field of an answer
// (CodeDailyLimit arrives in a not-sent callback, not in an HTTP answer).
const (
	CodeAccepted    = "WA202"   // request accepted
	CodeBadPayload  = "WA400"   // incorrect payload format
	CodeAuth        = "RBC001"  // incorrect SID or API key
	CodeNumber      = "WA401"   // number not present or not on the account
	CodeAccountType = "WA-401"  // API not available for the account, or number on another API version
	CodeLowBalance  = "E110"    // low balance
	CodeInternal    = "WA500"   // internal error, try again later
	CodeDailyLimit  = "WAV2101" // account daily limit reached
)

// Sentinel errors for configuration problems, matched with errors.Is.
var (
	ErrNoAPIKey = errors.New("kaleyra: no API key")
	ErrNoSID    = errors.New("kaleyra: no SID")
	ErrNumber   = errors.New("kaleyra: bad or missing business number")
	ErrNoWABA   = errors.New("kaleyra: no WABA id (KALEYRA_WABA_ID) to send a template")
	ErrPod      = errors.New("kaleyra: unknown pod")
	ErrBaseURL  = errors.New("kaleyra: bad base URL")
)

// APIError is a non-2xx answer from Kaleyra.
type APIError struct {
	Status  int               // HTTP status code
	Code    string            // Kaleyra code, e.g. CodeBadPayload; may be empty
	Message string            // Kaleyra's message, or a short excerpt of the body
	Fields  map[string]string // the error object: field -> problem
}

// Error returns the code, the HTTP status, the message and the fields in key
// order.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "kaleyra: HTTP %d", e.Status)
	if e.Code != "" {
		fmt.Fprintf(&b, " %s", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	for _, k := range slices.Sorted(maps.Keys(e.Fields)) {
		fmt.Fprintf(&b, "; %s: %s", k, e.Fields[k])
	}
	return b.String()
}

// Retryable reports whether sending the same request again may succeed: true
// for CodeInternal, any 5xx, 408 and 429; false for every other answer,
// including CodeBadPayload, CodeAuth, CodeNumber, CodeAccountType and
// CodeLowBalance.
func (e *APIError) Retryable() bool {
	return e.Code == CodeInternal || e.Status >= 500 || e.Status == 408 || e.Status == 429
}

// TransportError is a failure to get an answer at all: dial, TLS, timeout,
// or a connection cut mid-answer. Kaleyra may or may not have accepted the
// message.
type TransportError struct {
	Err error
}

// Error describes the underlying failure.
func (e *TransportError) Error() string { return "kaleyra: transport: " + e.Err.Error() }

// Unwrap returns the underlying failure.
func (e *TransportError) Unwrap() error { return e.Err }

// Retryable reports true: another attempt may reach Kaleyra.
func (e *TransportError) Retryable() bool { return true }

// Retryable reports whether err, or an error it wraps, says another attempt
// may succeed. It is false for nil and for errors that do not say.
func Retryable(err error) bool {
	var r interface{ Retryable() bool }
	return errors.As(err, &r) && r.Retryable()
}
