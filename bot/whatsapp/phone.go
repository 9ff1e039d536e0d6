package whatsapp

import (
	"regexp"
	"strings"
)

// Digits returns phone with the characters people write around numbers
// removed: a leading or inner '+', spaces, dashes, dots and parentheses.
// Anything else is kept, so that ValidPhone can reject it.
func Digits(phone string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '+', ' ', '-', '.', '(', ')', '\t':
			return -1
		}
		return r
	}, phone)
}

// ValidPhone reports whether digits is an E.164 number without its '+':
// 8 to 15 ASCII digits, the first of which is not 0.
func ValidPhone(digits string) bool {
	if len(digits) < 8 || len(digits) > 15 || digits[0] == '0' {
		return false
	}
	for _, c := range []byte(digits) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// MaskPhone hides the middle of a phone number for logs, keeping the
// country code side and the last 3 digits: 919876543210 -> 91*******210.
func MaskPhone(p string) string {
	if len(p) < 7 {
		return strings.Repeat("*", len(p))
	}
	return p[:2] + strings.Repeat("*", len(p)-5) + p[len(p)-3:]
}

// HidePhone returns s with every occurrence of phone masked as MaskPhone
// masks it, for a text (an error, a panic) that may quote a shopper's
// number; an empty phone leaves s as it is.
func HidePhone(s, phone string) string {
	if phone == "" {
		return s
	}
	return strings.ReplaceAll(s, phone, MaskPhone(phone))
}

// CatalogURL returns the wa.me link that opens the catalogue of the business
// whose WhatsApp number is businessNumber, in any common spelling.
func CatalogURL(businessNumber string) string {
	return "https://wa.me/c/" + Digits(businessNumber)
}

// phoneLike matches what may be a phone number in a text from elsewhere
// (an error a platform wrote): 8 to 15 digits standing alone, with or
// without a leading +, maybe in groups split by single spaces or dashes.
// Digits inside a longer word (an account SID, a message id) do not match,
// nor do dotted numbers, which are more often addresses and amounts in
// such texts than phones.
var phoneLike = regexp.MustCompile(`\+?\b[0-9](?:[ -]?[0-9]){7,14}\b`)

// dateLike is a match that is a date, maybe with the hour after it: a
// timestamp, not a phone.
var dateLike = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])( [0-9]{1,2})?$`)

// groupSep splits a phoneLike match into its groups.
var groupSep = regexp.MustCompile(`[ -]`)

// MaskPhones masks, as MaskPhone does, every phone-like number in s: for
// texts that may quote anyone's number, such as a platform's error. Dates
// are left alone, and so are groups of exactly six digits side by side
// without a leading + ("131047 131026"), which is how Meta's error codes
// come, not phones.
func MaskPhones(s string) string {
	return phoneLike.ReplaceAllStringFunc(s, maskMatch)
}

// maskMatch masks one phoneLike match.
func maskMatch(m string) string {
	if dateLike.MatchString(m) {
		return m
	}
	groups, seps := groupSep.Split(m, -1), groupSep.FindAllString(m, -1)
	if m[0] == '+' || !sideBySide(groups) {
		return maskNumber(m)
	}
	var b strings.Builder
	for i, g := range groups {
		if len(strings.TrimPrefix(g, "+")) >= 8 {
			g = maskNumber(g)
		}
		b.WriteString(g)
		if i < len(seps) {
			b.WriteString(seps[i])
		}
	}
	return b.String()
}

// sideBySide reports two groups of exactly six digits next to each other.
func sideBySide(groups []string) bool {
	for i := 1; i < len(groups); i++ {
		if len(groups[i-1]) == 6 && len(groups[i]) == 6 {
			return true
		}
	}
	return false
}

// maskNumber masks a number, keeping its leading +.
func maskNumber(m string) string {
	plus := ""
	if m[0] == '+' {
		plus = "+"
	}
	return plus + MaskPhone(Digits(m))
}
