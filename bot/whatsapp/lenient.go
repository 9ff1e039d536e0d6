package whatsapp

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The lenient types below decode any JSON value without failing, so that one
// field of an unexpected type never costs the rest of a webhook. Their
// UnmarshalJSON methods never return an error.

// flexString is a string that also accepts a number or a boolean (kept as
// written). Null, objects and arrays decode to "".
type flexString string

func (s *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*s = ""
	switch {
	case len(b) == 0:
	case b[0] == '"':
		*s = flexString(unquote(b))
	case b[0] == '-' || (b[0] >= '0' && b[0] <= '9'), string(b) == "true", string(b) == "false":
		*s = flexString(b)
	}
	return nil
}

// flexFloat is a finite number that also accepts a numeric string. Anything
// else decodes to 0.
type flexFloat float64

func (f *flexFloat) UnmarshalJSON(b []byte) error {
	*f = flexFloatOf(scalarText(b))
	return nil
}

// flexFloatOf is the flexFloat of a scalarText.
func flexFloatOf(s string) flexFloat { return flexFloat(parseFloat(s)) }

// coordinate is a latitude or longitude: a finite number, also as a
// numeric string; ok is false when it was missing or anything else.
type coordinate struct {
	v  float64
	ok bool
}

func (c *coordinate) UnmarshalJSON(b []byte) error {
	*c = coordinateOf(scalarText(b))
	return nil
}

// coordinateOf is the coordinate of a scalarText.
func coordinateOf(s string) coordinate {
	v, err := strconv.ParseFloat(s, 64)
	return coordinate{v: v, ok: err == nil && !math.IsNaN(v) && !math.IsInf(v, 0)}
}

// flexInt is an integer that also accepts a numeric string or a number with
// a zero fraction. Anything else decodes to 0.
type flexInt int

func (n *flexInt) UnmarshalJSON(b []byte) error {
	*n = flexIntOf(scalarText(b))
	return nil
}

// flexIntOf is the flexInt of a scalarText.
func flexIntOf(s string) flexInt {
	if i, err := strconv.Atoi(s); err == nil {
		return flexInt(i)
	}
	if v := parseFloat(s); v == math.Trunc(v) && math.Abs(v) <= 1<<53 {
		return flexInt(v)
	}
	return 0
}

// scalarText returns the text of a JSON string or the literal of any other
// JSON value, trimmed.
func scalarText(b []byte) string {
	var s flexString
	_ = s.UnmarshalJSON(b)
	return strings.TrimSpace(string(s))
}

// parseFloat parses s as a finite float, or returns 0.
func parseFloat(s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

// unixTime turns a Unix-seconds string into a UTC time; the zero time when
// it is empty or not a number.
func unixTime(s flexString) time.Time {
	sec, err := strconv.ParseInt(strings.TrimSpace(string(s)), 10, 64)
	if err != nil {
		f := parseFloat(string(s))
		if f == 0 || math.Abs(f) > 1<<53 {
			return time.Time{}
		}
		sec = int64(f)
	}
	if sec < 0 || sec > maxUnix {
		return time.Time{} // as if missing: no such time can be stored or logged
	}
	return time.Unix(sec, 0).UTC()
}

// maxUnix is the last second of the year 9999, the latest time JSON holds.
const maxUnix = 253402300799

// present reports whether raw holds a JSON value of the kind opened by
// delim ('[' or '{').
func present(raw json.RawMessage, delim byte) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && raw[0] == delim
}

// unquote decodes a JSON string literal that encoding/json has already
// checked. The common case, no escapes and valid UTF-8, is sliced out
// directly; anything else goes through json.Unmarshal.
func unquote(b []byte) string {
	if len(b) >= 2 && b[len(b)-1] == '"' {
		if in := b[1 : len(b)-1]; bytes.IndexByte(in, '\\') < 0 && bytes.IndexByte(in, '"') < 0 && utf8.Valid(in) {
			return string(in)
		}
	}
	var v string
	if json.Unmarshal(b, &v) != nil {
		return ""
	}
	return v
}
