package yamldoc

import "unicode/utf8"

// readerProblems are what yaml.v3 reports, without a line, for bytes a
// YAML stream may not hold.
var readerProblems = map[string]bool{
	"control characters are not allowed": true,
	"invalid leading UTF-8 octet":        true,
	"invalid trailing UTF-8 octet":       true,
	"incomplete UTF-8 octet sequence":    true,
	"invalid Unicode character":          true,
}

// badCharAt finds the first character of data a YAML stream may not hold
// (YAML 1.2's c-printable, in UTF-8, a byte order mark at the start
// allowed) and says what it is.
func badCharAt(data []byte) (line, col int, what string, ok bool) {
	line, col = 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return line, col, "a byte that is not UTF-8 here (save the file as UTF-8)", true
		case !printable(r) && !(r == 0xFEFF && i == 0):
			return line, col, "U+" + hex4(r) + " here", true
		}
		switch {
		case r == '\n', r == '\r' && (i+1 == len(data) || data[i+1] != '\n'):
			line, col = line+1, 1
		case r != '\r':
			col++
		}
		i += size
	}
	return 0, 0, "", false
}

// printable reports whether YAML lets r stand in a stream.
func printable(r rune) bool {
	switch {
	case r == '\t', r == '\n', r == '\r', r == 0x85:
		return true
	case r < 0x20, r == 0x7F, r >= 0x80 && r < 0xA0:
		return false
	case r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
		return false
	}
	return r <= 0x10FFFF
}

func hex4(r rune) string {
	const digits = "0123456789ABCDEF"
	b := []byte{}
	for v := r; v > 0 || len(b) < 4; v >>= 4 {
		b = append([]byte{digits[v&0xF]}, b...)
	}
	return string(b)
}
