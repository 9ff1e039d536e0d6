package whatsapp

import "testing"

func TestDigits(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "919876543210", "919876543210"},
		{"plus", "+919876543210", "919876543210"},
		{"spaces and dashes", "+91 98765-43210", "919876543210"},
		{"parentheses and dots", "+1 (415) 555.0100", "14155550100"},
		{"letters kept", "+91 98x", "9198x"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Digits(tt.in); got != tt.want {
				t.Errorf("Digits(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestValidPhone(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"india", "919876543210", true},
		{"shortest", "12345678", true},
		{"longest", "123456789012345", true},
		{"too short", "1234567", false},
		{"too long", "1234567890123456", false},
		{"leading zero", "0919876543", false},
		{"plus not stripped", "+919876543210", false},
		{"letter", "91987654321x", false},
		{"non-ASCII digit", "9198765432١", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ValidPhone(tt.in); got != tt.want {
				t.Errorf("ValidPhone(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestCatalogURL(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"digits", "911161197855", "https://wa.me/c/911161197855"},
		{"written", "+91 11 6119-7855", "https://wa.me/c/911161197855"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CatalogURL(tt.in); got != tt.want {
				t.Errorf("CatalogURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMaskPhone(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"india", "919876543210", "91*******210"},
		{"seven digits", "1234567", "12**567"},
		{"too short to show any", "123456", "******"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MaskPhone(tt.in); got != tt.want {
				t.Errorf("MaskPhone(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestHidePhone checks that a number quoted in a text is masked wherever
// it appears, and that an empty number leaves the text alone (a plain
// ReplaceAll of "" would put the mask between every character).
func TestHidePhone(t *testing.T) {
	if got := HidePhone("to 919876543210 and 919876543210", "919876543210"); got != "to 91*******210 and 91*******210" {
		t.Errorf("HidePhone = %q", got)
	}
	if got := HidePhone("label value", ""); got != "label value" {
		t.Errorf("HidePhone with no phone = %q", got)
	}
}

// TestMaskPhones checks that numbers quoted in someone else's text are
// masked however they are grouped, and that digits inside a longer word,
// or too few of them, are left alone.
func TestMaskPhones(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Recipient +91 98765 43215 / 919876543215 is not valid", "Recipient +91*******215 / 91*******215 is not valid"},
		{"call 44-7700-900-124.", "call 44*******124."},
		{"failed at 2025-12-01 10:30:00 from 192.168.100.200:443", "failed at 2025-12-01 10:30:00 from 192.168.100.200:443"},
		{"codes 131047 131026, amount 1234.5678", "codes 131047 131026, amount 1234.5678"},
		{"to 919876543215 919876543216", "to 91*******215 91*******216"},
		{"+919876 543210 invalid", "+91*******210 invalid"},
		{"919876 5432101", "91********101"},
		{"call 0120-12-3456", "call 01*****456"},
		{"at 2025-12-01 98765 43210", "at 2025-12-01 98*****210"},
		{"error 131026 98765 43210", "error 131026 98*****210"},
		{"code 131047 919876 543210", "code 131047 91*******210"},
		{"4155552671 415 555 2672", "41********415 55**672"},
		{"error 131047 2024-01-15 10:30:00", "error 131047 2024-01-15 10:30:00"},
		{"status 400 131047", "status 40****047"},
		{"call 582-451179", "call 58****179"},
		{"at 2024-01-15 91 232 457", "at 2024-01-15 91***457"},
		{"1800 10 20 30, 91 987654 3210", "18*****030, 91*******210"},
		{"131047 1234567", "13********567"},
		{"code 131000, account HXA123456789012", "code 131000, account HXA123456789012"},
		{"919876543215", "91*******215"},
	} {
		if got := MaskPhones(tt.in); got != tt.want {
			t.Errorf("MaskPhones(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
