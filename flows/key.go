package flows

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Key normalises a tapped id or typed word for matching:
//   - trimmed of white space, and of punctuation, symbols and emoji at
//     either end as long as something else is left, so that "Menu." and
//     "hi 👋" match menu and hi, while "👍" stays itself;
//   - composed (Unicode NFC), so that an accent typed as a letter plus a
//     combining mark matches the precomposed letter;
//   - case folded, so that letters with several lower-case forms (Greek σ
//     and final ς, both Σ in capitals) match each other too.
func Key(s string) string {
	s = bare(strings.TrimSpace(s))
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.Map(foldRune, norm.NFC.String(s))
		}
	}
	return strings.ToLower(s)
}

// bare is s without the decoration at its ends, or s itself when nothing
// but decoration is left.
func bare(s string) string {
	if t := strings.TrimFunc(s, decoration); t != "" {
		return t
	}
	return s
}

// decoration reports whether r dresses a word rather than spells it:
// punctuation, symbols (emoji among them), white space, and the marks that
// build emoji (variation selectors, the zero-width joiner, the keycap).
// Other combining marks are letters' own, as in Devanagari.
func decoration(r rune) bool {
	return unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r) ||
		r == '\u200d' || r == '\u20e3' || unicode.Is(unicode.Variation_Selector, r)
}

// foldRune is r's lower case taken through its upper case.
func foldRune(r rune) rune { return unicode.ToLower(unicode.ToUpper(r)) }
