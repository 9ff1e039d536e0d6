package whatsapp

import (
	"testing"
	"time"
)

func TestLenientTypes(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		wantStr   flexString
		wantFloat flexFloat
		wantInt   flexInt
	}{
		{"string", `"abc"`, "abc", 0, 0},
		{"numeric string", `"7.99"`, "7.99", 7.99, 0},
		{"integer string", `" 3 "`, " 3 ", 3, 3},
		{"integer", `2`, "2", 2, 2},
		{"float", `149.5`, "149.5", 149.5, 0},
		{"whole float", `2.0`, "2.0", 2, 2},
		{"negative", `-1`, "-1", -1, -1},
		{"exponent", `1e2`, "1e2", 100, 100},
		{"overflow", `1e400`, "1e400", 0, 0},
		{"NaN string", `"NaN"`, "NaN", 0, 0},
		{"Inf string", `"+Inf"`, "+Inf", 0, 0},
		{"huge integer", `123456789012345678901234567890`, "123456789012345678901234567890", 123456789012345678901234567890, 0},
		{"true", `true`, "true", 0, 0},
		{"null", `null`, "", 0, 0},
		{"object", `{"a":1}`, "", 0, 0},
		{"array", `[1]`, "", 0, 0},
		{"broken string", `"abc`, "", 0, 0},
		{"empty", ``, "", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s flexString
			var f flexFloat
			var n flexInt
			for _, err := range []error{s.UnmarshalJSON([]byte(tt.in)), f.UnmarshalJSON([]byte(tt.in)), n.UnmarshalJSON([]byte(tt.in))} {
				if err != nil {
					t.Fatalf("UnmarshalJSON(%s) error %v", tt.in, err)
				}
			}
			if s != tt.wantStr || f != tt.wantFloat || n != tt.wantInt {
				t.Errorf("%s: string %q float %v int %v, want %q %v %v", tt.in, s, f, n, tt.wantStr, tt.wantFloat, tt.wantInt)
			}
		})
	}
}

func TestUnixTime(t *testing.T) {
	tests := []struct {
		name string
		in   flexString
		want time.Time
	}{
		{"seconds", "1763712000", time.Date(2025, 11, 21, 8, 0, 0, 0, time.UTC)},
		{"fraction", "1763712000.5", time.Date(2025, 11, 21, 8, 0, 0, 0, time.UTC)},
		{"spaces", " 1763712000 ", time.Date(2025, 11, 21, 8, 0, 0, 0, time.UTC)},
		{"empty", "", time.Time{}},
		{"words", "yesterday", time.Time{}},
		{"overflow", "1e300", time.Time{}},
		{"milliseconds: year 57000", "1763712000000", time.Time{}},
		{"before 1970", "-99999999999", time.Time{}},
		{"last second of 9999", "253402300799", time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)},
		{"one past 9999", "253402300800", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := unixTime(tt.in); !got.Equal(tt.want) {
				t.Errorf("unixTime(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}
