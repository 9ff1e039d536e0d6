package bot

import "github.com/souk-commerce/souk/bot/whatsapp"

// MaskPhone hides the middle of a phone number for logs, keeping the
// country code side and the last 3 digits: 919876543210 -> 91*******210.
func MaskPhone(p string) string { return whatsapp.MaskPhone(p) }

// maxLoggedID bounds an id from the platform as it is logged: real ones
// are under 100 bytes, and nothing checks what a webhook sends.
const maxLoggedID = 128

// LogID is id cut, if need be, for a log line.
func LogID(id string) string { return cut(id, maxLoggedID) }
