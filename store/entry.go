package store

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"
)

// encodeEntry returns m as an outbox entry: the bytes json.Marshal(m)
// returns, or its error. The outbox scripts compare entries with the
// prefix encoding/json writes (see isHead), so the two must never differ.
// A Marshaled payload is taken on the caller's word to be what
// json.Marshal wrote.
func encodeEntry(m OutMessage) ([]byte, error) {
	size := len(m.ID) + len(m.Phone) + len(m.Payload) + len(m.LastError) + 160 // names, times, attempts
	return appendEntry(make([]byte, 0, size), m)
}

// appendEntry appends encodeEntry(m) to b. It writes the fields itself,
// and leaves to json.Marshal the rare message it would rewrite or refuse:
// a payload it would not copy as it is (see payloadAsIs; one json.Marshal
// wrote is copied as it is), or a time RFC 3339 cannot express.
func appendEntry(b []byte, m OutMessage) ([]byte, error) {
	if !(m.Marshaled || payloadAsIs(m.Payload)) || !rfc3339(m.Queued) || (!m.NextAt.IsZero() && !rfc3339(m.NextAt)) {
		out, err := json.Marshal(m)
		return append(b, out...), err
	}
	b = append(b, `{"id":`...)
	b = appendString(b, m.ID)
	b = append(b, `,"phone":`...)
	b = appendString(b, m.Phone)
	b = append(b, `,"payload":`...)
	b = appendPayload(b, m.Payload)
	if m.Attempts != 0 {
		b = append(b, `,"attempts":`...)
		b = strconv.AppendInt(b, int64(m.Attempts), 10)
	}
	if !m.NextAt.IsZero() {
		b = append(b, `,"next_at":`...)
		b = appendTime(b, m.NextAt)
	}
	if m.LastError != "" {
		b = append(b, `,"last_error":`...)
		b = appendString(b, m.LastError)
	}
	b = append(b, `,"queued":`...)
	b = appendTime(b, m.Queued)
	return append(b, '}'), nil
}

// appendPayload appends p, writing a nil payload as null like
// json.RawMessage does.
func appendPayload(b []byte, p json.RawMessage) []byte {
	if p == nil {
		return append(b, "null"...)
	}
	return append(b, p...)
}

// payloadAsIs reports whether json.Marshal would copy p unchanged: p is
// nil, or valid JSON without whitespace between tokens and without the
// characters its HTML-safe compaction escapes (<, >, &, U+2028, U+2029).
func payloadAsIs(p []byte) bool {
	return p == nil || compactAndHTMLSafe(p) && json.Valid(p)
}

// compactAndHTMLSafe reports, for valid JSON p, whether json.Marshal's
// compaction would leave p unchanged; payloadAsIs asks it before the
// costlier json.Valid. It leans on the grammar: a backslash starts an
// escape and only occurs in strings, as do <, >, & and U+2028/U+2029, and
// a space is the only whitespace a string may hold.
func compactAndHTMLSafe(p []byte) bool {
	inString := false
	for i := 0; i < len(p); i++ {
		if !payloadMarks[p[i]] {
			continue
		}
		switch p[i] {
		case '"':
			inString = !inString
		case '\\':
			i++
		case ' ', '\t', '\n', '\r':
			if !inString {
				return false
			}
		case '<', '>', '&':
			return false
		case 0xE2: // the first byte of U+2028 and U+2029
			if i+2 < len(p) && p[i+1] == 0x80 && (p[i+2] == 0xA8 || p[i+2] == 0xA9) {
				return false
			}
		}
	}
	return true
}

// payloadMarks marks the bytes compactAndHTMLSafe looks at.
var payloadMarks = [256]bool{'"': true, '\\': true, ' ': true, '\t': true, '\n': true, '\r': true,
	'<': true, '>': true, '&': true, 0xE2: true}

// rfc3339 reports whether time.Time.MarshalJSON accepts t: its year must
// be four digits wide and its zone offset under 24 hours.
func rfc3339(t time.Time) bool {
	_, offset := t.Zone()
	year := t.Year()
	return 0 <= year && year <= 9999 && -86400 < offset && offset < 86400
}

// appendTime appends t quoted as time.Time.MarshalJSON writes it, for a t
// it accepts.
func appendTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// appendString appends s quoted as encoding/json quotes strings.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf && asciiEscapes[c] == "" {
			i++
			continue
		}
		esc, size := escapeAt(s, i)
		if esc != "" {
			b = append(b, s[start:i]...)
			b = append(b, esc...)
			start = i + size
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// escapeAt returns how encoding/json writes the character at s[i] inside a
// string, "" when as it is, and that character's length in bytes. It
// replaces invalid UTF-8 with U+FFFD and escapes U+2028 and U+2029, which
// JavaScript does not allow in strings.
func escapeAt(s string, i int) (esc string, size int) {
	if c := s[i]; c < utf8.RuneSelf {
		return asciiEscapes[c], 1
	}
	r, size := utf8.DecodeRuneInString(s[i:])
	switch {
	case r == utf8.RuneError && size == 1:
		return `\ufffd`, size
	case r == '\u2028':
		return `\u2028`, size
	case r == '\u2029':
		return `\u2029`, size
	}
	return "", size
}

// asciiEscapes holds how encoding/json writes each ASCII character inside
// a string, "" for those it writes as they are: control characters, quote
// and backslash escaped, and <, > and & too so that the JSON is safe to
// embed in HTML.
var asciiEscapes = func() (t [utf8.RuneSelf]string) {
	for c := range t {
		if c < 0x20 || c == '<' || c == '>' || c == '&' {
			t[c] = fmt.Sprintf(`\u%04x`, c)
		}
	}
	t['"'], t['\\'] = `\"`, `\\`
	t['\b'], t['\f'], t['\n'], t['\r'], t['\t'] = `\b`, `\f`, `\n`, `\r`, `\t`
	return t
}()
