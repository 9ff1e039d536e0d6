package whatsapp

import (
	"reflect"
	"slices"
	"strings"
)

// keysOf returns the JSON keys of the fields of struct type T, in order:
// the keys encoding/json knows for it.
func keysOf[T any]() []string { return structKeys(reflect.TypeFor[T]()) }

// nestedKeys returns the JSON keys of the struct in the field of T whose
// JSON key is key.
func nestedKeys[T any](key string) []string {
	t := reflect.TypeFor[T]()
	return structKeys(t.Field(slices.Index(structKeys(t), key)).Type)
}

// structKeys returns the JSON keys of the fields of struct type t. Every
// field of a wire type has one, and scanner.fields tells at most 64 apart.
func structKeys(t reflect.Type) []string {
	keys := make([]string, t.NumField())
	for i := range keys {
		keys[i], _, _ = strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if keys[i] == "" || keys[i] == "-" || i >= 64 {
			panic("whatsapp: wire type " + t.String() + " has a field without a JSON key, or too many")
		}
	}
	return keys
}

// match returns the index of the key in keys that s starts with, closing
// quote included, or -1.
func match(s []byte, keys []string) int {
	for i, k := range keys {
		if len(s) > len(k) && s[len(k)] == '"' && s[0] == k[0] && string(s[:len(k)]) == k {
			return i
		}
	}
	return -1
}

// foldsToAny reports whether key equals one of keys in another case or
// with other underscores and hyphens: a key that a case-insensitive
// decoder might take for a field.
func foldsToAny(key []byte, keys []string) bool {
	for _, k := range keys {
		if looselyEqual(key, k) {
			return true
		}
	}
	return false
}

// looselyEqual reports whether ASCII strings a and b are equal but for the
// case of letters and for underscores and hyphens.
func looselyEqual(a []byte, b string) bool {
	i, j := 0, 0
	for {
		for i < len(a) && (a[i] == '_' || a[i] == '-') {
			i++
		}
		for j < len(b) && (b[j] == '_' || b[j] == '-') {
			j++
		}
		if i == len(a) || j == len(b) {
			return i == len(a) && j == len(b)
		}
		if lower(a[i]) != lower(b[j]) {
			return false
		}
		i, j = i+1, j+1
	}
}

// lower lower-cases an ASCII letter.
func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
