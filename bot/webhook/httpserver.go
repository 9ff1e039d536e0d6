package webhook

import (
	"net/http"
	"time"
)

// Timeouts bound how long one client may hold a connection, so that slow
// or stalled clients (slow-loris) cannot exhaust the server. A zero field
// takes its value from DefaultTimeouts.
type Timeouts struct {
	// ReadHeader bounds reading the request line and headers.
	ReadHeader time.Duration
	// Read bounds reading the whole request, body included.
	Read time.Duration
	// Write bounds the time from the end of the headers to the end of the answer.
	Write time.Duration
	// Idle bounds how long a kept-alive connection waits for its next request.
	Idle time.Duration
}

// DefaultTimeouts are the timeouts `souk serve` uses.
var DefaultTimeouts = Timeouts{ReadHeader: 10 * time.Second, Read: 30 * time.Second,
	Write: 60 * time.Second, Idle: 120 * time.Second}

// MaxHeaderBytes bounds the request line and headers.
const MaxHeaderBytes = 64 << 10

// HTTPServer returns an *http.Server serving s with timeouts t (zero
// fields take the defaults) and a bounded header size.
func (s *Server) HTTPServer(t Timeouts) *http.Server {
	d := DefaultTimeouts
	return &http.Server{
		Handler:           s,
		ReadHeaderTimeout: orDuration(t.ReadHeader, d.ReadHeader),
		ReadTimeout:       orDuration(t.Read, d.Read),
		WriteTimeout:      orDuration(t.Write, d.Write),
		IdleTimeout:       orDuration(t.Idle, d.Idle),
		MaxHeaderBytes:    MaxHeaderBytes,
	}
}

func orDuration(v, def time.Duration) time.Duration {
	if v > 0 {
		return v
	}
	return def
}
