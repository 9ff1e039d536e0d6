package kaleyra

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

// Client sends messages to the Kaleyra WhatsApp API v2. It is safe for
// concurrent use.
type Client struct {
	cfg              Config
	toNumber, toWABA destination // where session messages and templates go
	http             *http.Client
}

// New returns a Client for cfg. It fails when cfg does not validate or has
// no API key.
func New(cfg Config) (*Client, error) {
	if cfg.APIKey == "" {
		return nil, ErrNoAPIKey
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = newHTTPClient(cfg.Timeout)
	}
	c := &Client{cfg: cfg, http: hc}
	var err error
	if c.toNumber, err = newDestination(cfg, false); err != nil {
		return nil, err
	}
	if c.toWABA, err = newDestination(cfg, true); err != nil {
		return nil, err
	}
	return c, nil
}

// Send POSTs out's request body to the business number's path, or to the
// WABA's path for a template. It returns the message id of a 2xx answer, an
// *APIError for any other answer, a *TransportError when no answer came, and
// ErrNoWABA for a template when the Config has no WABAID.
func (c *Client) Send(ctx context.Context, out whatsapp.Outbound) (Result, error) {
	body, waba, err := out.Request()
	if err != nil {
		return Result{}, fmt.Errorf("kaleyra: building request: %w", err)
	}
	if waba && c.cfg.WABAID == "" {
		return Result{}, ErrNoWABA
	}
	to := &c.toNumber
	if waba {
		to = &c.toWABA
	}
	return c.post(ctx, to, body)
}

// post sends body to to and decodes the answer.
func (c *Client) post(ctx context.Context, to *destination, body []byte) (Result, error) {
	req, err := c.request(ctx, to, body)
	if err != nil {
		return Result{}, fmt.Errorf("kaleyra: building request: %w", err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return Result{}, &TransportError{Err: redactErr(err, c.cfg.APIKey)}
	}
	defer resp.Body.Close()
	return decodeResponse(resp, c.cfg.APIKey)
}

// request builds the POST of body to to as http.NewRequestWithContext
// builds it from the URL, without parsing the URL at every send: net/http
// gets an empty URL, cheap to parse, and still sets the context, Body,
// GetBody and ContentLength; the URL parsed in New is copied in after. The
// header names are canonical already, so Header.Set's work is skipped.
func (c *Client) request(ctx context.Context, to *destination, body []byte) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	*req.URL, req.Host = to.url, to.host
	req.Header["Api-Key"] = []string{c.cfg.APIKey}
	req.Header["Content-Type"] = []string{"application/json"}
	return req, nil
}

// destination is a send URL as http.NewRequest parses it.
type destination struct {
	url  url.URL
	host string
}

// newDestination parses the URL of cfg's session messages, or of its
// templates when waba is true.
func newDestination(cfg Config, waba bool) (destination, error) {
	req, err := http.NewRequest(http.MethodPost, cfg.APIBase()+messagesPath(cfg, waba), nil)
	if err != nil {
		return destination{}, fmt.Errorf("kaleyra: send URL: %w", err)
	}
	return destination{url: *req.URL, host: req.Host}, nil
}
