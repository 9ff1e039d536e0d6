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

// phoneLike matches digits that may hold a phone number in a text from
// elsewhere (an error a platform wrote): a run of digits standing alone,
// with or without a leading +, maybe in groups split by single spaces or
// dashes; maskMatch decides what in it is a phone. Digits inside a longer
// word (an account SID, a message id) do not match, nor do dotted
// numbers, which are more often addresses and amounts in such texts.
var phoneLike = regexp.MustCompile(`\+?\b[0-9](?:[ -]?[0-9])*\b`)

// groupSep splits a phoneLike match into its groups.
var groupSep = regexp.MustCompile(`[ -]`)

// MaskPhones masks, as MaskPhone does, every phone number (8 to 15
// digits, maybe in groups) in s: for texts that may quote anyone's
// number, such as a platform's error. A date written year-month-day (and
// the hour after it) is left alone, and so are groups of exactly six
// digits side by side without a leading +, which is how Meta's error
// codes come; what else a run holds is masked as one number when it has
// 8 digits or more.
func MaskPhones(s string) string {
	return phoneLike.ReplaceAllStringFunc(s, maskMatch)
}

// maskMatch masks the phone numbers in one phoneLike match: the groups
// keptGroups does not keep, in runs of at most 15 digits, each masked as
// one number when it has 8 digits or more. Once a run was cut at 15
// digits, the runs after it are masked whatever their length, as they
// may be the rest of a number.
func maskMatch(m string) string {
	groups, seps := groupSep.Split(m, -1), groupSep.FindAllString(m, -1)
	keep := keptGroups(groups, seps, m[0] == '+')
	var b strings.Builder
	first, digits, cut := -1, 0, false // the run under way; whether one was cut
	emit := func(end int) {
		if first < 0 {
			return
		}
		var run strings.Builder
		for j := first; j < end; j++ {
			if j > first {
				run.WriteString(seps[j-1])
			}
			run.WriteString(groups[j])
		}
		if digits >= 8 || cut {
			b.WriteString(maskNumber(run.String()))
		} else {
			b.WriteString(run.String())
		}
		first, digits = -1, 0
	}
	for i, g := range groups {
		n := len(Digits(g))
		full := first >= 0 && digits+n > 15
		if keep[i] || first < 0 || full {
			emit(i)
			cut = cut || full
			if i > 0 {
				b.WriteString(seps[i-1])
			}
		}
		if keep[i] {
			b.WriteString(g)
			continue
		}
		if first < 0 {
			first = i
		}
		digits += n
	}
	emit(len(groups))
	return b.String()
}

// keptGroups marks the groups of a run that are not a phone: dates
// (year-month-day with dashes, maybe the hour after a space) wherever they
// are, then two six-digit groups alone, or a six-digit group at either end
// beside a whole phone, since Meta's error codes have six. None is kept in
// a run that starts with a +.
func keptGroups(groups, seps []string, plus bool) []bool {
	keep := make([]bool, len(groups))
	if plus {
		return keep
	}
	for i := 0; i+2 < len(groups); i++ {
		if seps[i] != "-" || seps[i+1] != "-" || !dateLike.MatchString(strings.Join(groups[i:i+3], "-")) {
			continue
		}
		keep[i], keep[i+1], keep[i+2] = true, true, true
		if i+3 < len(groups) && seps[i+2] == " " && hourLike.MatchString(groups[i+3]) {
			keep[i+3] = true
		}
	}
	var rest []int // the groups not kept as dates
	others := 0
	for i, k := range keep {
		if !k {
			rest = append(rest, i)
			others += len(groups[i])
		}
	}
	six := func(i int) bool { return len(groups[i]) == 6 }
	// A code is kept only beside a whole phone: beside fewer digits, the
	// six may be part of a short phone ("582-451179").
	codeBeside := others-6 >= 8
	switch {
	case len(rest) == 2 && six(rest[0]) && six(rest[1]):
		keep[rest[0]], keep[rest[1]] = true, true
	case len(rest) > 1 && six(rest[0]) && codeBeside:
		keep[rest[0]] = true
	case len(rest) > 1 && six(rest[len(rest)-1]) && codeBeside:
		keep[rest[len(rest)-1]] = true
	}
	return keep
}

// dateLike is a date written year-month-day.
var dateLike = regexp.MustCompile(`^(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`)

// hourLike is the hour of a time, 0 to 23.
var hourLike = regexp.MustCompile(`^([01]?[0-9]|2[0-3])$`)

// maskNumber masks a number, keeping its leading +.
func maskNumber(m string) string {
	plus := ""
	if m[0] == '+' {
		plus = "+"
	}
	return plus + MaskPhone(Digits(m))
}
