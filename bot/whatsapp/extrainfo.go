package whatsapp

import "strings"

// waSources are the wa_source values Kaleyra documents.
var waSources = map[string]bool{
	"api": true, "clevertap": true, "zoho": true, "webengage": true,
	"shopify": true, "leadsquared": true, "responsys": true, "braze": true,
	"hubspot": true, "salesforce": true, "zapier": true, "eloqua": true,
	"moengage": true,
}

// Normalized returns x as Kaleyra keeps it: ref, ref1 and ref2 cut to
// MaxRef characters, and a wa_source outside Kaleyra's list replaced by
// "api". An empty field stays empty.
func (x ExtraInfo) Normalized() ExtraInfo {
	return ExtraInfo{
		Ref:      cut(x.Ref, MaxRef),
		Ref1:     cut(x.Ref1, MaxRef),
		Ref2:     cut(x.Ref2, MaxRef),
		WASource: waSource(x.WASource),
	}
}

// waSource lower-cases a documented source and replaces any other with "api".
func waSource(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || waSources[s] {
		return s
	}
	return "api"
}

// cut returns the first n characters of s.
func cut(s string, n int) string {
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos]
		}
		i++
	}
	return s
}
