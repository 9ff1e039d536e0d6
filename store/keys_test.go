package store

import (
	"strings"
	"testing"
)

// TestShopperKeysShareThePrefix guards the keys that spell out shopper's
// prefix instead of calling it: every one must land in the shopper's slot.
func TestShopperKeysShareThePrefix(t *testing.T) {
	k := newKeys(DefaultPrefix)
	phone := "919876543210"
	tests := []struct{ name, key, suffix string }{
		{"conv", k.conv(phone), ":conv"},
		{"seen", k.seen(phone, "wamid.1"), ":seen:" + string(digestOf("wamid.1"))},
		{"out", k.out(phone), ":out"},
		{"lease", k.lease(phone), ":lease"},
		{"msg", k.msg(phone, "01J9"), ":m:01J9"},
		{"legacy msg", k.legacyMsg(phone, "01J9"), ":msg:01J9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if want := k.shopper(phone) + tt.suffix; tt.key != want {
				t.Fatalf("key %q, want %q", tt.key, want)
			}
		})
	}
}

func digestOf(id string) []byte {
	d := digest(id)
	return d[:]
}

func TestDigestIsShortAndURLSafe(t *testing.T) {
	d := digestOf(strings.Repeat("wamid.HBgMOTE5ODc2NTQzMjEw", 3))
	if len(d) != 16 || strings.ContainsAny(string(d), "+/=") {
		t.Fatalf("digest %q", d)
	}
}

func TestMidIsNamedByDigest(t *testing.T) {
	k := newKeys(DefaultPrefix)
	id := "wamid.HBgMOTE5ODc2NTQzMjEwFQIAERgSQTVGMEI"
	if got, want := k.mid(id), "souk:mid:"+string(digestOf(id)); got != want {
		t.Fatalf("mid %q, want %q", got, want)
	}
	if got := k.legacyMid(id); got != "souk:mid:"+id {
		t.Fatalf("legacy mid %q", got)
	}
}
