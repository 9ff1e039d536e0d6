package kaleyra

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

// DefaultTimeout bounds one Send of the default HTTP client, from dial to the
// end of the response body.
const DefaultTimeout = 15 * time.Second

// DefaultPod is the pod used when Config.Pod is empty.
const DefaultPod = "in"

// podDomains maps a pod to its API domain. Kaleyra's documents show more than
// one domain for some pods; the one listed here is used, and BaseURL reaches
// any other:
//
//	in  api.in.kaleyra.io (the only variant seen)
//	sg  api.ap.kaleyra.io (older pages) or api.kaleyra.io (newer pages)
//	eu  api.eu.kaleyra.io (the only variant seen)
//	na  api.na.kaleyra.ai (message pages) or api.na.kaleyra.io (number pages)
//
// The API key's edit pane in the Kaleyra console shows the account's domain.
var podDomains = map[string]string{
	"in": "https://api.in.kaleyra.io",
	"sg": "https://api.ap.kaleyra.io",
	"eu": "https://api.eu.kaleyra.io",
	"na": "https://api.na.kaleyra.ai",
}

// Config says where and as whom to send. The zero Config is valid and selects
// the dry-run sender.
type Config struct {
	APIKey  string // KALEYRA_API_KEY; empty selects DryRun
	SID     string // KALEYRA_SID, the account SID in the path
	Pod     string // KALEYRA_POD: in, sg, eu or na; empty means in
	BaseURL string // KALEYRA_BASE_URL: scheme+host replacing the pod domain
	Number  string // KALEYRA_NUMBER: business number, E.164, + optional
	WABAID  string // KALEYRA_WABA_ID: needed only to send templates

	// HTTPClient, when set, is used as is; Timeout does not apply to it.
	HTTPClient *http.Client
	// Timeout bounds one request of the default client; 0 means
	// DefaultTimeout.
	Timeout time.Duration
}

// ConfigFromEnv reads the KALEYRA_* variables through getenv (os.Getenv
// when nil). It does not validate; call Validate or New for that.
func ConfigFromEnv(getenv func(string) string) Config {
	if getenv == nil {
		getenv = os.Getenv
	}
	get := func(k string) string { return strings.TrimSpace(getenv(k)) }
	return Config{
		APIKey:  get("KALEYRA_API_KEY"),
		SID:     get("KALEYRA_SID"),
		Pod:     get("KALEYRA_POD"),
		BaseURL: get("KALEYRA_BASE_URL"),
		Number:  strings.Map(dropSeparator, get("KALEYRA_NUMBER")),
		WABAID:  get("KALEYRA_WABA_ID"),
	}
}

// Validate reports every problem in c, joined. SID and Number are required
// once APIKey is set; WABAID is checked only when a template is sent, which
// then fails with ErrNoWABA.
func (c Config) Validate() error {
	var errs []error
	if _, ok := podDomains[c.pod()]; !ok {
		errs = append(errs, fmt.Errorf("%w: KALEYRA_POD %q (want in, sg, eu or na)", ErrPod, c.Pod))
	}
	if err := checkBaseURL(c.BaseURL); err != nil {
		errs = append(errs, err)
	}
	if err := CheckNumber(c.Number); err != nil {
		errs = append(errs, err)
	}
	if c.Timeout < 0 {
		errs = append(errs, fmt.Errorf("kaleyra: negative timeout %v", c.Timeout))
	}
	return errors.Join(append(errs, c.checkCredentials()...)...)
}

// dropSeparator drops the spaces, dashes, dots and brackets people write
// numbers with, for strings.Map.
func dropSeparator(r rune) rune {
	if strings.ContainsRune(" -.()", r) {
		return -1
	}
	return r
}

// CheckNumber reports a business number (KALEYRA_NUMBER) that is set but
// not E.164 digits; commands that only render messages check it too.
func CheckNumber(number string) error {
	if number != "" && !validNumber(number) {
		return fmt.Errorf("%w: KALEYRA_NUMBER must be E.164 digits, with an optional leading + (spaces and dashes are ignored)", ErrNumber)
	}
	return nil
}

// checkCredentials reports the values an API key needs beside it.
func (c Config) checkCredentials() []error {
	if c.APIKey == "" {
		return nil
	}
	var errs []error
	if c.SID == "" {
		errs = append(errs, fmt.Errorf("%w: KALEYRA_SID is required with KALEYRA_API_KEY", ErrNoSID))
	}
	if c.Number == "" {
		errs = append(errs, fmt.Errorf("%w: KALEYRA_NUMBER is required with KALEYRA_API_KEY", ErrNumber))
	}
	return errs
}

// APIBase returns the scheme and host requests go to: BaseURL when set,
// else the pod's domain. It is empty when the pod is unknown.
func (c Config) APIBase() string {
	if c.BaseURL != "" {
		return strings.TrimRight(c.BaseURL, "/")
	}
	return podDomains[c.pod()]
}

// pod returns the normalised pod name, DefaultPod when empty.
func (c Config) pod() string {
	p := strings.ToLower(strings.TrimSpace(c.Pod))
	if p == "" {
		return DefaultPod
	}
	return p
}

// checkBaseURL accepts an empty value or an absolute http(s) URL with a host
// and no query or fragment.
func checkBaseURL(raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("%w: KALEYRA_BASE_URL must be scheme://host, e.g. http://127.0.0.1:9000", ErrBaseURL)
	}
	return nil
}

// Refuses returns ErrNoWABA for a template when a real sender (c has an API
// key) has no WABA id to send it to, and nil for any other message: what a
// caller can know about a send before queuing it. m must be valid
// (whatsapp.Validate).
func (c Config) Refuses(m whatsapp.Message) error {
	if c.APIKey != "" && c.WABAID == "" && m.Kind() == (whatsapp.Template{}).Kind() {
		return ErrNoWABA
	}
	return nil
}
