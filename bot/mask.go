package bot

import "strings"

// MaskPhone hides the middle of a phone number for logs, keeping the
// country code side and the last 3 digits: 919876543210 -> 91*******210.
func MaskPhone(p string) string {
	if len(p) < 7 {
		return strings.Repeat("*", len(p))
	}
	return p[:2] + strings.Repeat("*", len(p)-5) + p[len(p)-3:]
}
