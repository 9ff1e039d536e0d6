package whatsapp

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// ErrUnknownEnvelope is returned by Decode for well-formed JSON that is none
// of the three webhook envelopes. The body is not malformed: a webhook
// server should still answer 200 and log it.
var ErrUnknownEnvelope = errors.New("whatsapp: unknown webhook envelope")

// ErrMalformed matches (with errors.Is) every *SyntaxError: the body is not
// JSON at all, and a webhook server should answer 400.
var ErrMalformed = errors.New("whatsapp: malformed JSON")

// ErrInvalidMessage matches (with errors.Is) every *FieldError: an outbound
// message that WhatsApp would reject.
var ErrInvalidMessage = errors.New("whatsapp: invalid message")

// ErrSendByPassed is returned for a message whose Outbound.SendBy passed
// before it could be sent.
var ErrSendByPassed = errors.New("whatsapp: the shopper's 24-hour customer-service window closed before the message could leave")

// SyntaxError says where a webhook body stops being JSON.
type SyntaxError struct {
	Offset int64 // 0-based byte offset of the offending byte, or the body's length at its end
	Line   int   // 1-based line of Offset
	Column int   // 1-based column of Offset, in bytes
	Err    error // the error from encoding/json
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("whatsapp: malformed JSON at line %d, column %d (byte %d): %v",
		e.Line, e.Column, e.Offset, e.Err)
}

// Unwrap returns the underlying encoding/json error.
func (e *SyntaxError) Unwrap() error { return e.Err }

// Is reports whether target is ErrMalformed.
func (e *SyntaxError) Is(target error) bool { return target == ErrMalformed }

// newSyntaxError locates a *json.SyntaxError in body. encoding/json counts
// the offending byte as read; the end of the input has no such byte.
func newSyntaxError(body []byte, se *json.SyntaxError) *SyntaxError {
	off := se.Offset
	if !strings.Contains(se.Error(), "unexpected end") {
		off--
	}
	off = min(max(off, 0), int64(len(body)))
	line, col := 1, 1
	for _, c := range body[:off] {
		if c == '\n' {
			line, col = line+1, 1
			continue
		}
		col++
	}
	return &SyntaxError{Offset: off, Line: line, Column: col, Err: se}
}

// FieldError is one problem with one field of an outbound message.
type FieldError struct {
	Kind    string // message kind: text, list, buttons, ...
	Field   string // path of the field, like "sections[1].rows[0].title"
	Problem string // what is wrong, like "is required" or "is longer than 24 characters"
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("whatsapp: %s message: %s %s", e.Kind, e.Field, e.Problem)
}

// Is reports whether target is ErrInvalidMessage.
func (e *FieldError) Is(target error) bool { return target == ErrInvalidMessage }
