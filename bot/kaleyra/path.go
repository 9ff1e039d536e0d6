package kaleyra

import (
	"net/url"
	"strings"
)

// Placeholders stand in for configuration the dry-run sender lacks.
const (
	placeholderSID    = "{SID}"
	placeholderNumber = "{NUMBER}"
	placeholderWABA   = "{WABA_ID}"
)

// messagesPath returns the send path: the business number's for session
// messages, the WABA's for templates. Empty values become placeholders.
func messagesPath(c Config, waba bool) string {
	sender := segment(digits(c.Number), placeholderNumber)
	if waba {
		sender = segment(c.WABAID, placeholderWABA)
	}
	return "/v2/" + segment(c.SID, placeholderSID) + "/whatsapp/" + sender + "/messages"
}

// segment escapes v for a path, or returns placeholder when v is empty.
func segment(v, placeholder string) string {
	if v == "" {
		return placeholder
	}
	return url.PathEscape(v)
}

// digits returns the ASCII digits of s, in order.
func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// validNumber reports whether s is digits with an optional leading +.
func validNumber(s string) bool {
	s = strings.TrimPrefix(s, "+")
	return s != "" && digits(s) == s
}
