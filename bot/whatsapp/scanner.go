package whatsapp

import (
	"encoding/binary"
	"iter"
	"math/bits"
	"strings"
)

// scanner reads one JSON document for scanEnvelope. It checks syntax as
// strictly as encoding/json, and fails on whatever it does not read exactly
// as encoding/json would; a failed scanner reads nothing more (every read
// returns a zero value) and its document is left to encoding/json. Its
// cursor always rests past white space.
type scanner struct {
	s     []byte
	i     int // the cursor: offset of the next byte to read
	depth int // objects and arrays open at the cursor
	bad   bool
	// kept holds the strings read so far, one after the other, so that
	// they cost an allocation now and then, not one each. A Builder only
	// appends: a string taken from it stays as it is.
	kept strings.Builder
	// spare holds the elements of the arrays read.
	spare *scratch
}

// maxScanDepth bounds how deep objects and arrays nest in a document the
// scanner reads. A webhook nests about ten deep; a deeper document fails,
// and encoding/json says whether it is too deep for it too.
const maxScanDepth = 100

// fail stops the scan: the document is encoding/json's to decode.
func (d *scanner) fail() {
	d.bad = true
	d.i = len(d.s)
}

// cur returns the byte at the cursor, 0 at the end.
func (d *scanner) cur() byte {
	if d.i < len(d.s) {
		return d.s[d.i]
	}
	return 0
}

// move moves the cursor to offset i, and past white space.
func (d *scanner) move(i int) {
	d.i = i
	if i < len(d.s) && d.s[i] <= ' ' {
		d.space()
	}
}

// space moves the cursor past white space.
func (d *scanner) space() {
	s, i := d.s, d.i
	if i+1 < len(s) && s[i] == ' ' && s[i+1] > ' ' {
		d.i = i + 1 // one space, as after a colon
		return
	}
	for i < len(s) {
		switch s[i] {
		case ' ', '\n', '\t', '\r':
			i = skipSpaces(s, i+1)
		default:
			d.i = i
			return
		}
	}
	d.i = i
}

// skipSpaces returns the offset of the first byte from i on that is not a
// space, reading eight bytes at a time past the first: indentation is long
// runs of spaces.
func skipSpaces(s []byte, i int) int {
	t := s[i:]
	if len(t) > 0 && t[0] != ' ' {
		return i
	}
	for len(t) >= 8 {
		if w := binary.LittleEndian.Uint64(t) ^ (ones * ' '); w != 0 {
			return len(s) - len(t) + bits.TrailingZeros64(w)/8
		}
		t = t[8:]
	}
	for len(t) > 0 && t[0] == ' ' {
		t = t[1:]
	}
	return len(s) - len(t)
}

// eat reads c if it is at the cursor, and reports whether it was.
func (d *scanner) eat(c byte) bool {
	if d.cur() != c {
		return false
	}
	d.move(d.i + 1)
	return true
}

// done reports whether the whole document was read without failing.
func (d *scanner) done() bool {
	return !d.bad && d.i == len(d.s)
}

// enter reads the '{' or '[' at the cursor.
func (d *scanner) enter() {
	d.move(d.i + 1)
	if d.depth++; d.depth > maxScanDepth {
		d.fail()
	}
}

// next reports whether another member or element follows in the object or
// array being read, reading the comma before it; at the closing end byte
// it reads it and reports false. first says whether none was read yet.
func (d *scanner) next(end byte, first bool) bool {
	switch c := d.cur(); {
	case c == ',' && !first:
		d.move(d.i + 1)
		return true
	case c == end:
		d.move(d.i + 1)
		d.depth--
		return false
	case first && !d.bad:
		return true
	}
	d.fail()
	return false
}

// fields yields the keys of the object at the cursor that name fields of a
// struct whose JSON keys are keys, each with the cursor at its value, which
// the caller must read (an unread value fails the scan). It skips the
// values of other keys. It fails on a key that names a field only in
// another case, which encoding/json would match, on a key with an escape
// or a byte past ASCII, which it might, and on a field named twice. A value
// other than an object is skipped, as encoding/json leaves a struct zero
// for it.
func (d *scanner) fields(keys []string) iter.Seq[string] {
	return func(yield func(string) bool) {
		if d.cur() != '{' {
			d.skip()
			return
		}
		d.enter()
		var seen uint64
		for first := true; d.next('}', first); first = false {
			i, other, plain := d.member(keys)
			switch {
			case i >= 0 && seen&(1<<i) == 0:
				seen |= 1 << i
				if !yield(keys[i]) {
					d.fail()
					return
				}
			case i >= 0 || !plain || foldsToAny(other, keys):
				d.fail()
			default:
				d.skip()
			}
		}
	}
}

// elements yields, for each element of the array at the cursor, a new
// zero element at the end of *spare, with the cursor at the array's
// element for the caller to read into; then it sets *s to the new
// elements. As encoding/json fills a slice, an empty array gives an empty
// slice and a value other than an array leaves *s nil. The elements of
// one array must not be read into spare while those of another are.
func elements[T any](d *scanner, s, spare *[]T) iter.Seq[*T] {
	return func(yield func(*T) bool) {
		if d.cur() != '[' {
			d.skip()
			return
		}
		d.enter()
		start := len(*spare)
		for first := true; d.next(']', first); first = false {
			var zero T
			*spare = append(*spare, zero)
			if !yield(&(*spare)[len(*spare)-1]) {
				d.fail()
				return
			}
		}
		if *s = (*spare)[start:len(*spare):len(*spare)]; *s == nil {
			*s = []T{}
		}
	}
}

// member reads an object key and the colon after it. It returns the
// key's index in keys, or -1 and the key as written, and whether it is
// plain (see str).
func (d *scanner) member(keys []string) (i int, other []byte, plain bool) {
	if d.cur() != '"' {
		d.fail()
		return -1, nil, false
	}
	if i = match(d.s[d.i+1:], keys); i >= 0 {
		plain = true
		d.move(d.i + len(keys[i]) + 2)
	} else {
		other, plain = d.str()
	}
	if !d.eat(':') {
		d.fail()
	}
	return i, other, plain
}

// name reads an object key and the colon after it.
func (d *scanner) name() {
	if d.cur() != '"' {
		d.fail()
		return
	}
	d.str()
	if !d.eat(':') {
		d.fail()
	}
}

// skip reads any value, checking its syntax.
func (d *scanner) skip() {
	switch c := d.cur(); {
	case c == '{':
		d.enter()
		for first := true; d.next('}', first); first = false {
			d.name()
			d.skip()
		}
	case c == '[':
		d.enter()
		for first := true; d.next(']', first); first = false {
			d.skip()
		}
	case c == '"':
		d.str()
	case c == '-' || '0' <= c && c <= '9':
		d.number()
	case c == 't':
		d.word("true")
	case c == 'f':
		d.word("false")
	default:
		d.word("null")
	}
}
