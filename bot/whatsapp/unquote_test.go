package whatsapp

import (
	"encoding/json"
	"testing"
)

// TestUnquoteMatchesJSON checks the fast path of flexString decoding gives
// what encoding/json gives.
func TestUnquoteMatchesJSON(t *testing.T) {
	tests := []struct{ name, lit string }{
		{"empty", `""`},
		{"plain", `"hello"`},
		{"unicode", `"naïve ☕"`},
		{"escaped quote", `"say \"hi\""`},
		{"escaped unicode", `"\u00e9\n"`},
		{"invalid utf-8", "\"a\xffb\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want string
			_ = json.Unmarshal([]byte(tt.lit), &want)
			if got := unquote([]byte(tt.lit)); got != want {
				t.Fatalf("unquote(%q) = %q, want %q", tt.lit, got, want)
			}
		})
	}
}
