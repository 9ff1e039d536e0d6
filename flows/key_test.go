package flows

import "testing"

// TestKey checks how taps, typed words and flow keys are matched: trimmed,
// composed, with case folded, also for letters with two lower-case forms;
// ids that differ only in punctuation stay apart.
func TestKey(t *testing.T) {
	same := [][]string{
		{"menu", " Menu ", "MENU\t", "\u00a0menu"},
		{"οδος", "ΟΔΟΣ", "Οδος", "οδοσ"},
		{"straße", "Straße"},
		{"ǆ", "ǅ", "Ǆ"},
		{"caf\u00e9", "cafe\u0301", "CAFE\u0301", "CAF\u00c9"},
		{"\u1ec7", "e\u0323\u0302", "e\u0302\u0323", "E\u0323\u0302"},
		{"today's", "Today\u2019s", "TODAY\u2018S", "today\u02bcs"}, // phones type curly apostrophes
		{`say "hi"`, "Say \u201chi\u201d", "say \u201ehi\u201f"},
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
	if Key("café") == Key("cafe") {
		t.Error("café matches cafe: accents are composed, not dropped")
	}
	for _, pair := range [][2]string{{"+1", "-1"}, {"qty+", "qty-"}, {"$5", "€5"}, {"ok", "ok!"}} {
		if Key(pair[0]) == Key(pair[1]) {
			t.Errorf("ids %q and %q match", pair[0], pair[1])
		}
	}
}

// TestWord checks typed text as a bare word: trimmed, at the ends, of
// punctuation, symbols and emoji while something else is left.
func TestWord(t *testing.T) {
	same := [][]string{
		{"menu", "Menu.", "MENU!", "menu 👋", "¿menu?", "👋 menu", "«menu»", "menu\u200d"},
		{"ok", "ok👍", "ok 👍🏽", "ok 👍\ufe0f", "OK!!!"},
		{"1", "1\ufe0f\u20e3", "#1", "1."},
		{"caf\u00e9", "Cafe\u0301!"},
		{"hi", "hi 🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"},
	}
	for _, group := range same {
		for _, s := range group {
			if Word(s) != group[0] {
				t.Errorf("Word(%q) = %q, want %q", s, Word(s), group[0])
			}
		}
	}
	for _, kept := range []string{"pz-margherita", "rock & roll", "नमस्ते", "👍", "?"} {
		if got := Word(kept); got != kept {
			t.Errorf("Word(%q) = %q: the word itself, or text of only decoration, is kept", kept, got)
		}
	}
	if Word("👍") == Word("👎") || Word("नमस्ते") == Word("नमस्त") {
		t.Error("different emoji, or a word without its final vowel sign, match")
	}
}

// FuzzKey checks that Key and Word are idempotent, and that Word is Key
// with its ends trimmed: a flow key normalised once matches the same text
// normalised again.
func FuzzKey(f *testing.F) {
	for _, s := range []string{"Menu.", "a=\u0338", "cafe\u0301", "ΟΔΟΣ", "👍", " 1\ufe0f\u20e3 ", "ǅ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, w := Key(s), Word(s)
		if Key(k) != k || Word(w) != w {
			t.Fatalf("Key(%q) = %q, again %q; Word = %q, again %q", s, k, Key(k), w, Word(w))
		}
		if Word(k) != w {
			t.Fatalf("Word(Key(%q)) = %q, Word = %q", s, Word(k), w)
		}
	})
}
