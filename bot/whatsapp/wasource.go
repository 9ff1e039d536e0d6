package whatsapp

import "strings"

// KnownWASource reports whether s (in any case, trimmed) is a wa_source
// value Kaleyra documents. An empty s is known: it is simply not sent.
// Normalized replaces any other value by "api".
func KnownWASource(s string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	return s == "" || waSources[s]
}
