package whatsapp

import (
	"encoding/binary"
	"math/bits"
)

// The scanner's tokens: literals, numbers and strings.

// word reads the literal w (true, false or null).
func (d *scanner) word(w string) string {
	if end := d.i + len(w); end > len(d.s) || string(d.s[d.i:end]) != w {
		d.fail()
		return ""
	}
	d.move(d.i + len(w))
	return w
}

// number reads a number and returns it as written.
func (d *scanner) number() []byte {
	s, start := d.s, d.i
	i := start
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && '1' <= s[i] && s[i] <= '9':
		i = digits(s, i)
	default:
		d.fail()
		return nil
	}
	if i < len(s) && s[i] == '.' {
		if i = digits(s, i+1); s[i-1] == '.' {
			d.fail()
			return nil
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if j := digits(s, i); j > i {
			i = j
		} else {
			d.fail()
			return nil
		}
	}
	d.move(i)
	return s[start:i]
}

// digits returns the offset of the first byte from i on that is not a
// decimal digit.
func digits(s []byte, i int) int {
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return i
}

// str reads the string at the cursor and returns its content as written,
// between the quotes, and whether that is all plain: no escape and no byte
// past ASCII.
func (d *scanner) str() (raw []byte, plain bool) {
	s, start := d.s, d.i+1
	plain = true
	for i := skipPlain(s, start); i < len(s); i = skipPlain(s, i) {
		switch c := s[i]; {
		case c == '"':
			d.move(i + 1)
			return s[start:i], plain
		case c == '\\':
			n := escapeLen(s[i:])
			if n == 0 {
				d.fail()
				return nil, false
			}
			plain, i = false, i+n
		case c < ' ':
			d.fail()
			return nil, false
		default:
			plain, i = false, i+1
		}
	}
	d.fail()
	return nil, false
}

// skipPlain returns the offset of the first byte from i on that a string
// does not hold as it is: a quote, a backslash, a control byte or a byte
// past ASCII. It reads eight bytes at a time.
func skipPlain(s []byte, i int) int {
	t := s[i:]
	for len(t) >= 8 {
		if m := notPlain(binary.LittleEndian.Uint64(t)); m != 0 {
			return len(s) - len(t) + bits.TrailingZeros64(m)/8
		}
		t = t[8:]
	}
	for len(t) > 0 && plain[t[0]] {
		t = t[1:]
	}
	return len(s) - len(t)
}

// ones has 1 in each byte; ones*c has c in each.
const ones = 0x0101010101010101

// notPlain returns w, eight bytes of a string in little-endian order, with
// the high bit set in the first byte that is not plain and clear in all
// bytes before it (the bytes after it may be either). Below the first such
// byte, no subtraction borrows: a byte below ' ' borrows in control, a
// quote in quote, a backslash in slash, and each sets its high bit, as a
// byte past ASCII has.
func notPlain(w uint64) uint64 {
	control := w - ones*' '
	quote := (w ^ ones*'"') - ones
	slash := (w ^ ones*'\\') - ones
	return (control | quote | slash | w) & (ones * 0x80)
}

// plain tells the bytes a string holds as they are.
var plain = func() (t [256]bool) {
	for c := ' '; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// escapeLen returns the length of the valid escape sequence s starts with,
// 0 for an invalid one.
func escapeLen(s []byte) int {
	if len(s) < 2 {
		return 0
	}
	switch s[1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2
	case 'u':
		if len(s) >= 6 && isHex(s[2]) && isHex(s[3]) && isHex(s[4]) && isHex(s[5]) {
			return 6
		}
	}
	return 0
}

// isHex reports whether c is a hexadecimal digit.
func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
