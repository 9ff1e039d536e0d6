package kaleyra

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/kaleyra/kaleyratest"
)

func TestSendTransportErrors(t *testing.T) {
	tests := []struct {
		name   string
		server func(t *testing.T) string // returns the base URL
		cfg    func(*Config)
		ctx    func() (context.Context, context.CancelFunc)
		is     error // matched with errors.Is when set
	}{
		{name: "server closed", server: closedServer},
		{name: "client timeout", server: slowServer, cfg: func(c *Config) { c.Timeout = 50 * time.Millisecond }},
		{name: "context deadline", server: slowServer, ctx: func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 50*time.Millisecond)
		}, is: context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(tt.server(t))
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			ctx, cancel := context.WithCancel(context.Background())
			if tt.ctx != nil {
				ctx, cancel = tt.ctx()
			}
			defer cancel()
			_, err := mustNew(t, cfg).Send(ctx, sessionOut())
			var te *TransportError
			if !errors.As(err, &te) || !Retryable(err) || te.Unwrap() == nil {
				t.Fatalf("Send() error = %v (%T), want a retryable *TransportError", err, err)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("Send() error = %v, want it to match %v", err, tt.is)
			}
			checkNoKey(t, err)
		})
	}
}

// closedServer returns the URL of a server that no longer listens.
func closedServer(t *testing.T) string {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	return srv.URL
}

// slowServer returns the URL of a fake Kaleyra that answers only after its
// client has gone.
func slowServer(t *testing.T) string {
	k := kaleyratest.Run(t)
	k.SetLatency(5 * time.Second)
	return k.URL
}

func TestSendDoesNotFollowRedirects(t *testing.T) {
	other := kaleyratest.Run(t)
	redirector := httptest.NewServer(http.RedirectHandler(other.URL+"/steal", http.StatusTemporaryRedirect))
	t.Cleanup(redirector.Close)

	_, err := mustNew(t, testConfig(redirector.URL)).Send(context.Background(), sessionOut())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusTemporaryRedirect || Retryable(err) {
		t.Errorf("Send() error = %v, want a non-retryable 307 APIError", err)
	}
	if n := other.Len(); n != 0 {
		t.Errorf("redirect target saw %d requests carrying the api-key, want 0", n)
	}
}

func TestDefaultHTTPClient(t *testing.T) {
	tests := []struct {
		name    string
		timeout time.Duration
		want    time.Duration
	}{
		{name: "default timeout", want: DefaultTimeout},
		{name: "configured timeout", timeout: 3 * time.Second, want: 3 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig("")
			cfg.Timeout = tt.timeout
			hc := mustNew(t, cfg).http
			tr, ok := hc.Transport.(*http.Transport)
			if !ok || hc.Timeout != tt.want || hc.CheckRedirect == nil {
				t.Fatalf("client = %+v, want timeout %v, a *http.Transport and no redirects", hc, tt.want)
			}
			if tr.DialContext == nil || tr.TLSHandshakeTimeout == 0 || tr.MaxIdleConnsPerHost == 0 || tr.MaxConnsPerHost == 0 {
				t.Errorf("transport lacks a bound: %+v", tr)
			}
		})
	}
}

func TestConfiguredHTTPClient(t *testing.T) {
	hc := &http.Client{}
	cfg := testConfig("")
	cfg.HTTPClient = hc
	if got := mustNew(t, cfg).http; got != hc {
		t.Errorf("client = %p, want the configured %p", got, hc)
	}
}
