package whatsapp

import "strings"

// A WhatsApp user who took a username may hide their phone number from
// businesses; Meta then names them by a business-scoped user id (BSUID):
// an ISO country code, a dot, and up to 128 letters and digits
// ("US.13491208655302741918"), with ENT between them for a parent BSUID
// shared by linked business portfolios ("US.ENT.11815799212886844830").
// Souk keeps such a shopper's conversation under the id, and sends to them
// with Meta's recipient field instead of to.

// maxUserID bounds the alphanumeric part of a BSUID.
const maxUserID = 128

// ValidUserID reports whether id is a business-scoped user id.
func ValidUserID(id string) bool {
	if len(id) < 4 || id[0] < 'A' || id[0] > 'Z' || id[1] < 'A' || id[1] > 'Z' || id[2] != '.' {
		return false
	}
	rest := strings.TrimPrefix(id[3:], "ENT.")
	if rest == "" || len(rest) > maxUserID {
		return false
	}
	for _, c := range []byte(rest) {
		if !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z') {
			return false
		}
	}
	return true
}

// ShopperID normalizes how a shopper is named, as souk keys them: a
// business-scoped user id as it is, anything else as Digits does a phone.
func ShopperID(s string) string {
	if t := strings.TrimSpace(s); ValidUserID(t) {
		return t
	}
	return Digits(s)
}

// ValidShopper reports whether id (as ShopperID gives it) names a shopper:
// a phone number or a business-scoped user id.
func ValidShopper(id string) bool { return ValidPhone(id) || ValidUserID(id) }
