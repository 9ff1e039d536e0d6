package kaleyra

import (
	"bytes"
	"context"
	"fmt"
	"net/http"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

// Client sends messages to the Kaleyra WhatsApp API v2. It is safe for
// concurrent use.
type Client struct {
	cfg  Config
	base string
	http *http.Client
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
	return &Client{cfg: cfg, base: cfg.APIBase(), http: hc}, nil
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
	return c.post(ctx, messagesPath(c.cfg, waba), body)
}

// post sends body to path and decodes the answer.
func (c *Client) post(ctx context.Context, path string, body []byte) (Result, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, bytes.NewReader(body))
	if err != nil {
		return Result{}, fmt.Errorf("kaleyra: building request: %w", err)
	}
	req.Header.Set("api-key", c.cfg.APIKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return Result{}, &TransportError{Err: redactErr(err, c.cfg.APIKey)}
	}
	defer resp.Body.Close()
	return decodeResponse(resp, c.cfg.APIKey)
}
