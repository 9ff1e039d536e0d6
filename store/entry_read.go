package store

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/souk-commerce/souk/internal/jsonfast"
)

// decodeEntry decodes one outbox entry. An entry as appendEntry writes it
// is read field by field (readEntry); any other goes through the JSON
// decoder, as every entry did before.
func decodeEntry(raw string) (OutMessage, error) {
	if m, ok := readEntry(raw); ok {
		return m, nil
	}
	var m OutMessage
	if err := jsonfast.Unmarshal([]byte(raw), &m); err != nil {
		return OutMessage{}, fmt.Errorf("decoding outbox entry: %w", err)
	}
	return m, nil
}

// readEntry reads an entry in appendEntry's own layout: the fields in its
// order, strings without escapes, times as it writes them. It reports
// false for anything else, which the JSON decoder then reads. The payload
// is taken as the balanced value it spans, as written; it was checked to
// be JSON when it was queued.
func readEntry(raw string) (m OutMessage, ok bool) {
	r := entryReader{rest: raw}
	m.ID = r.string(`{"id":"`)
	m.Phone = r.string(`,"phone":"`)
	m.Payload = []byte(r.value(`,"payload":`))
	if r.field(`,"attempts":`) {
		m.Attempts = r.int()
	}
	if r.field(`,"next_at":`) {
		m.NextAt = r.time(`"`)
	}
	if r.field(`,"last_error":`) {
		m.LastError = r.string(`"`)
	}
	m.Queued = r.time(`,"queued":"`)
	r.expect("}")
	if r.failed || r.rest != "" {
		return OutMessage{}, false
	}
	return m, true
}

// entryReader consumes an entry from the front; after the first mismatch
// it only reports failed.
type entryReader struct {
	rest   string
	failed bool
}

// expect consumes lit.
func (r *entryReader) expect(lit string) {
	if r.failed || !strings.HasPrefix(r.rest, lit) {
		r.failed = true
		return
	}
	r.rest = r.rest[len(lit):]
}

// field consumes name when the entry goes on with it.
func (r *entryReader) field(name string) bool {
	if r.failed || !strings.HasPrefix(r.rest, name) {
		return false
	}
	r.rest = r.rest[len(name):]
	return true
}

// string consumes open, which ends with the string's opening quote, and a
// string without escapes.
func (r *entryReader) string(open string) string {
	r.expect(open)
	if r.failed {
		return ""
	}
	end := strings.IndexByte(r.rest, '"')
	if end < 0 || strings.IndexByte(r.rest[:end], '\\') >= 0 || !plainText(r.rest[:end]) {
		r.failed = true
		return ""
	}
	s := r.rest[:end]
	r.rest = r.rest[end+1:]
	return s
}

// plainText reports whether s reads back as itself from a JSON string:
// no control characters and valid UTF-8 (encoding/json would replace an
// invalid byte with U+FFFD, so that is refused too).
func plainText(s string) bool {
	for _, c := range s {
		if c < 0x20 || c == utf8.RuneError {
			return false
		}
	}
	return true
}

// value consumes name and the object, array or null after it, which it
// returns as written.
func (r *entryReader) value(name string) string {
	r.expect(name)
	if r.failed {
		return ""
	}
	if strings.HasPrefix(r.rest, "null") {
		r.failed = true // a nil payload: left to the decoder, which keeps it nil
		return ""
	}
	n := balancedLen(r.rest)
	if n == 0 {
		r.failed = true
		return ""
	}
	v := r.rest[:n]
	r.rest = r.rest[n:]
	return v
}

// balancedLen is the length of the object or array s starts with, or 0.
func balancedLen(s string) int {
	if s == "" || (s[0] != '{' && s[0] != '[') {
		return 0
	}
	depth, inString := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case inString && c == '\\':
			i++
		case c == '"':
			inString = !inString
		case inString:
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			if depth--; depth == 0 {
				return i + 1
			}
		}
	}
	return 0
}

// int consumes a decimal integer.
func (r *entryReader) int() int {
	end := 0
	for end < len(r.rest) && (r.rest[end] == '-' || '0' <= r.rest[end] && r.rest[end] <= '9') {
		end++
	}
	n, err := strconv.Atoi(r.rest[:end])
	if r.failed || err != nil || strconv.Itoa(n) != r.rest[:end] {
		r.failed = true
		return 0
	}
	r.rest = r.rest[end:]
	return n
}

// time consumes open, as string does, and a time exactly as appendTime
// writes it.
func (r *entryReader) time(open string) time.Time {
	s := r.string(open)
	if r.failed {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	var again [64]byte
	if err != nil || string(t.AppendFormat(again[:0], time.RFC3339Nano)) != s {
		r.failed = true
		return time.Time{}
	}
	return t
}
