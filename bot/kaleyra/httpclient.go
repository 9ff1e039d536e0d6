package kaleyra

import (
	"net"
	"net/http"
	"time"
)

// Limits of the default HTTP client.
const (
	dialTimeout         = 5 * time.Second
	tlsHandshakeTimeout = 5 * time.Second
	idleConnTimeout     = 90 * time.Second
	maxIdleConnsPerHost = MaxConns
)

// MaxConns bounds the default client's connections to the API. Over
// HTTP/1.1 it is also how many sends can be in flight at once.
const MaxConns = 64

// newHTTPClient returns the default client: bounded dial, TLS handshake and
// overall time, a bounded connection pool, and no redirects (a redirect
// would carry the api-key header to wherever it points).
func newHTTPClient(timeout time.Duration) *http.Client {
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	dialer := &net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}
	transport := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   tlsHandshakeTimeout,
		IdleConnTimeout:       idleConnTimeout,
		MaxIdleConns:          maxIdleConnsPerHost,
		MaxIdleConnsPerHost:   maxIdleConnsPerHost,
		MaxConnsPerHost:       MaxConns,
		ExpectContinueTimeout: time.Second,
		ForceAttemptHTTP2:     true,
	}
	return &http.Client{
		Transport:     transport,
		Timeout:       timeout,
		CheckRedirect: noRedirect,
	}
}

// noRedirect makes the client return a 3xx answer as it is.
func noRedirect(*http.Request, []*http.Request) error {
	return http.ErrUseLastResponse
}
