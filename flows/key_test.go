package flows

import "testing"

// TestKey checks how taps and typed words are matched: trimmed of white
// space and, at the ends, of punctuation and emoji, composed, with case
// folded, also for letters with two lower-case forms.
func TestKey(t *testing.T) {
	same := [][]string{
		{"menu", " Menu ", "MENU\t", "\u00a0menu"},
		{"οδος", "ΟΔΟΣ", "Οδος", "οδοσ"},
		{"straße", "Straße"},
		{"ǆ", "ǅ", "Ǆ"},
		{"caf\u00e9", "cafe\u0301", "CAFE\u0301", "CAF\u00c9"},
		{"\u1ec7", "e\u0323\u0302", "e\u0302\u0323", "E\u0323\u0302"},
		{"menu", "Menu.", "MENU!", "menu 👋", "¿menu?", "👋 menu", "«menu»", "menu\u200d"},
		{"ok", "ok👍", "ok 👍🏽", "ok 👍\ufe0f", "OK!!!"},
		{"1", "1\ufe0f\u20e3", "#1", "1."},
		{"pz-margherita", "pz-margherita!"},
		{"नमस्ते", " नमस्ते "},
		{"👍", " 👍 "},
	}
	for _, group := range same {
		for _, s := range group[1:] {
			if Key(s) != Key(group[0]) {
				t.Errorf("Key(%q) = %q, want it to match Key(%q) = %q", s, Key(s), group[0], Key(group[0]))
			}
		}
	}
	if got := Key(" Pizzas "); got != "pizzas" {
		t.Errorf("Key(\" Pizzas \") = %q, want pizzas", got)
	}
	if Key("σ") == Key("s") {
		t.Error("σ matches s")
	}
	for _, kept := range []string{"pz-margherita", "rock & roll", "नमस्ते", "👍", "?"} {
		if got := Key(kept); got != kept {
			t.Errorf("Key(%q) = %q: the word itself or a key of only decoration is kept", kept, got)
		}
	}
	if Key("👍") == Key("👎") || Key("नमस्ते") == Key("नमस्त") {
		t.Error("different emoji, or a word without its final vowel sign, match")
	}
	if Key("café") == Key("cafe") {
		t.Error("café matches cafe: accents are composed, not dropped")
	}
}
