package bot

import "github.com/souk-commerce/souk/bot/whatsapp"

// MaskPhone hides the middle of a phone number for logs, keeping the
// country code side and the last 3 digits: 919876543210 -> 91*******210.
func MaskPhone(p string) string { return whatsapp.MaskPhone(p) }
