package kaleyra

import "bytes"

// maxPlainDepth bounds the nesting plainMessageID reads; deeper answers
// take the slow path.
const maxPlainDepth = 32

// plainMessageID reads data.message_id from an answer written as Kaleyra
// writes it: one JSON object whose strings are ASCII without escapes, with
// at most one data and one message_id key, each spelled exactly so. ok is
// false for any other input, even valid JSON, which messageID then decodes
// with encoding/json's rules (case-insensitive keys, escapes, repeated
// keys, type errors): that is how the two agree on every input.
func plainMessageID(raw []byte) (id string, ok bool) {
	r := idReader{scanner: scanner{b: raw}}
	if !r.object(r.top) || !r.end() {
		return "", false
	}
	return string(r.id), true
}

// idReader is the state of plainMessageID.
type idReader struct {
	scanner
	data, found bool
	id          []byte
}

// top reads the value of a top-level key.
func (r *idReader) top(key []byte) bool {
	switch field(key, "data") {
	case keyExact:
		if r.data {
			return false
		}
		r.data = true
		return r.object(r.inData)
	case keyOther:
		return r.skip(1)
	}
	return false
}

// inData reads the value of a key of data.
func (r *idReader) inData(key []byte) bool {
	switch field(key, "message_id") {
	case keyExact:
		if r.found {
			return false
		}
		r.found = true
		var ok bool
		r.id, ok = r.str()
		return ok
	case keyOther:
		return r.skip(2)
	}
	return false
}

// keyMatch is how a key matches a field name.
type keyMatch int

const (
	keyOther  keyMatch = iota // another key
	keyExact                  // the field's name, byte for byte
	keyFolded                 // a case-insensitive match, which encoding/json takes
)

// field tells how key, ASCII, matches the lower-case ASCII field name.
func field(key []byte, name string) keyMatch {
	switch {
	case string(key) == name:
		return keyExact
	case bytes.EqualFold(key, []byte(name)):
		return keyFolded
	}
	return keyOther
}
