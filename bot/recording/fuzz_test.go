package recording

import (
	"encoding/json"
	"testing"
	"unicode/utf8"
)

// FuzzRedact checks that any body, and any text in a message's fields, is
// redacted without a panic, into JSON when it was JSON, and that numbers
// are replaced in a text without breaking its UTF-8.
func FuzzRedact(f *testing.F) {
	f.Add(`{"text":{"body":"call +44 7700 900124"}}`)
	f.Add(`{"body":"(+44) 7700-900.124) ٤٤٧٧٠٠٩٠٠١٢٦ 2025-12-01"}`)
	f.Add(`{"messages":[{"FROM":"+91 98765 43262","reason":"x\u00a01234\u00a05678"}]}`)
	f.Add("٤٤٧٧٠٠٩٠٠١٢٦ ０９０－１２３４－５６７８ 𝟒𝟒𝟕𝟕𝟎𝟎𝟗𝟎𝟎𝟏𝟐𝟒")
	p := NewPseudonymizer([]byte("k"))
	f.Fuzz(func(t *testing.T, text string) {
		body, err := json.Marshal(map[string]any{"body": text, "from": text})
		if err != nil {
			return
		}
		for _, b := range [][]byte{body, []byte(text)} {
			out, err := p.Redact(b)
			if err == nil && !json.Valid(out) {
				t.Fatalf("Redact(%q) = %q, not JSON", b, out)
			}
		}
		if out := (finds{p: p}).numbersIn(text); utf8.ValidString(text) && !utf8.ValidString(out) {
			t.Fatalf("numbersIn(%q) = %q, not UTF-8", text, out)
		}
	})
}
