package flows

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Key normalises a tapped id, typed word or flow key for matching:
//   - trimmed of white space;
//   - composed (Unicode NFC), so that an accent typed as a letter plus a
//     combining mark matches the precomposed letter;
//   - case folded, so that letters with several lower-case forms (Greek σ
//     and final ς, both Σ in capitals) match each other too.
func Key(s string) string {
	s = strings.TrimSpace(s)
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.Map(foldRune, norm.NFC.String(s))
		}
	}
	return strings.ToLower(s)
}

// Word is Key for typed text, further trimmed of punctuation, symbols and
// emoji at either end as long as something else is left: "Menu." and
// "hi 👋" give menu and hi, while "👍" stays itself. Typed text is matched
// by its Key first and then by its Word, so a flow key that keeps its
// decoration ("ok👍") still matches as typed; tapped ids are matched by
// their Key alone, as they are sent.
func Word(s string) string {
	k := Key(s)
	if t := strings.TrimFunc(k, decoration); t != "" {
		return t
	}
	return k
}

// decoration reports whether r dresses a word rather than spells it:
// punctuation, symbols (emoji among them), white space, and the marks that
// build emoji (variation selectors, the zero-width joiner, the keycap, tag
// characters). Other combining marks are letters' own, as in Devanagari.
func decoration(r rune) bool {
	return unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r) ||
		r == '\u200d' || r == '\u20e3' || (r >= '\U000e0020' && r <= '\U000e007f') ||
		unicode.Is(unicode.Variation_Selector, r)
}

// foldRune is r's lower case taken through its upper case, with the
// typographic quotes that phones put in place of ' and " (an iPhone types
// "Today’s") taken back to them.
func foldRune(r rune) rune {
	switch r {
	case '\u2018', '\u2019', '\u201b', '\u02bc', '\u2032':
		return '\''
	case '\u201c', '\u201d', '\u201e', '\u201f', '\u2033':
		return '"'
	}
	return unicode.ToLower(unicode.ToUpper(r))
}

// loose is a Word without its punctuation and with single spaces, for
// matching typed titles: "todays special" and "Today's special" are alike.
func loose(word string) string {
	return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if unicode.IsPunct(r) {
			return -1
		}
		return r
	}, word)), " ")
}
