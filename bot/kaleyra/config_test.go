package kaleyra

import (
	"errors"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want []error // each must match with errors.Is; none means valid
	}{
		{name: "zero config is dry run", cfg: Config{}},
		{name: "complete", cfg: testConfig("")},
		{name: "pod in", cfg: Config{Pod: "in"}},
		{name: "pod sg", cfg: Config{Pod: "sg"}},
		{name: "pod eu", cfg: Config{Pod: "eu"}},
		{name: "pod na upper case", cfg: Config{Pod: "NA"}},
		{name: "no WABA id is fine until a template", cfg: Config{APIKey: "k", SID: "s", Number: "91980"}},
		{name: "base URL with trailing slash", cfg: Config{BaseURL: "http://127.0.0.1:9000/"}},
		{name: "unknown pod", cfg: Config{Pod: "us"}, want: []error{ErrPod}},
		{name: "base URL without scheme", cfg: Config{BaseURL: "127.0.0.1:9000"}, want: []error{ErrBaseURL}},
		{name: "base URL ftp", cfg: Config{BaseURL: "ftp://example.com"}, want: []error{ErrBaseURL}},
		{name: "base URL with query", cfg: Config{BaseURL: "https://example.com?x=1"}, want: []error{ErrBaseURL}},
		{name: "base URL with user", cfg: Config{BaseURL: "https://u:p@example.com"}, want: []error{ErrBaseURL}},
		{name: "number with letters", cfg: Config{Number: "91-98OO"}, want: []error{ErrNumber}},
		{name: "key without SID", cfg: Config{APIKey: "k", Number: "91980"}, want: []error{ErrNoSID}},
		{name: "key without number", cfg: Config{APIKey: "k", SID: "s"}, want: []error{ErrNumber}},
		{name: "every problem at once", cfg: Config{APIKey: "k", Pod: "xx", BaseURL: "nope"},
			want: []error{ErrPod, ErrBaseURL, ErrNoSID, ErrNumber}},
		{name: "negative timeout", cfg: Config{Timeout: -time.Second}, want: []error{errAny}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if len(tt.want) == 0 && err != nil {
				t.Fatalf("Validate() = %v, want nil", err)
			}
			for _, w := range tt.want {
				if err == nil || (w != errAny && !errors.Is(err, w)) {
					t.Errorf("Validate() = %v, want it to match %v", err, w)
				}
			}
		})
	}
}

// errAny stands for any non-nil error in a table.
var errAny = errors.New("any error")

// TestConfigFromEnv checks the variables are read trimmed, the business
// number without the separators people write it with.
func TestConfigFromEnv(t *testing.T) {
	env := map[string]string{
		"KALEYRA_API_KEY":  " key ",
		"KALEYRA_SID":      "HX1",
		"KALEYRA_POD":      "eu",
		"KALEYRA_BASE_URL": "http://127.0.0.1:9000",
		"KALEYRA_NUMBER":   "+91 98000-00001",
		"KALEYRA_WABA_ID":  "1049",
	}
	got := ConfigFromEnv(func(k string) string { return env[k] })
	want := Config{APIKey: "key", SID: "HX1", Pod: "eu", BaseURL: "http://127.0.0.1:9000",
		Number: "+919800000001", WABAID: "1049"}
	if got != want {
		t.Errorf("ConfigFromEnv() = %+v, want %+v", got, want)
	}
}

func TestConfigFromEnvEmpty(t *testing.T) {
	got := ConfigFromEnv(func(string) string { return "" })
	if got != (Config{}) || got.Validate() != nil {
		t.Errorf("ConfigFromEnv(empty) = %+v, want a valid zero Config", got)
	}
}

func TestAPIBase(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{name: "default pod", cfg: Config{}, want: "https://api.in.kaleyra.io"},
		{name: "in", cfg: Config{Pod: "in"}, want: "https://api.in.kaleyra.io"},
		{name: "sg", cfg: Config{Pod: "sg"}, want: "https://api.ap.kaleyra.io"},
		{name: "eu", cfg: Config{Pod: "eu"}, want: "https://api.eu.kaleyra.io"},
		{name: "na", cfg: Config{Pod: "na"}, want: "https://api.na.kaleyra.ai"},
		{name: "pod case and spaces", cfg: Config{Pod: " SG "}, want: "https://api.ap.kaleyra.io"},
		{name: "base URL wins", cfg: Config{Pod: "eu", BaseURL: "http://127.0.0.1:9000"}, want: "http://127.0.0.1:9000"},
		{name: "base URL slash trimmed", cfg: Config{BaseURL: "https://proxy.example/"}, want: "https://proxy.example"},
		{name: "unknown pod", cfg: Config{Pod: "us"}, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.cfg.APIBase(); got != tt.want {
				t.Errorf("APIBase() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRefuses(t *testing.T) {
	tmpl := whatsapp.Template{Name: "offer", Language: "en", CatalogID: "1", ProductID: "p"}
	text := whatsapp.Text{Body: "hi"}
	tests := []struct {
		name string
		cfg  Config
		m    whatsapp.Message
		want error
	}{
		{"template without WABA", Config{APIKey: "k"}, tmpl, ErrNoWABA},
		{"pointer to a template", Config{APIKey: "k"}, &tmpl, ErrNoWABA},
		{"template with WABA", Config{APIKey: "k", WABAID: "w"}, tmpl, nil},
		{"dry run", Config{}, tmpl, nil},
		{"session message", Config{APIKey: "k"}, text, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.cfg.Refuses(tt.m); !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
				t.Fatalf("Refuses() = %v, want %v", err, tt.want)
			}
		})
	}
}
