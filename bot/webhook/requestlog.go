package webhook

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"time"

	"github.com/labstack/echo/v4"
)

// Context keys set on each request.
const (
	keyRequestID = "souk.request_id"
	keyOutcome   = "souk.outcome"
	keyEvents    = "souk.events"
)

// HeaderRequestID carries the id souk gives each request, in the answer
// and in every log line about it.
const HeaderRequestID = "X-Request-Id"

// logRequests gives each request an id and, for the webhook, logs one line
// when it is answered: status, events, outcome and duration. Errors are
// answered here (through the central error handler) so the line has the
// final status. A delivery whose events were all applied is logged at
// debug only: each of its events has an info line with the same request
// id, and its duration is in the webhook latency metric.
func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		rid := newRequestID()
		c.Set(keyRequestID, rid)
		c.Response().Header().Set(HeaderRequestID, rid)
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		s.logRequest(c, rid, err, time.Since(start))
		return nil
	}
}

func (s *Server) logRequest(c echo.Context, rid string, err error, took time.Duration) {
	msg, level := requestLine(c)
	ctx := c.Request().Context()
	if !s.log.Enabled(ctx, level) {
		return
	}
	attrs := []any{"request_id", rid, "method", c.Request().Method, "path", pathOf(c), "status", c.Response().Status,
		"ms", took.Milliseconds()}
	if out, ok := c.Get(keyOutcome).(string); ok {
		attrs = append(attrs, "outcome", out, "events", c.Get(keyEvents))
	}
	if err != nil {
		attrs = append(attrs, "error", errorMessage(err))
		var he *echo.HTTPError
		if errors.As(err, &he) && he.Internal != nil {
			attrs = append(attrs, "cause", he.Internal.Error())
		}
	}
	s.log.Log(ctx, level, msg, attrs...)
}

// pathOf is the route a request matched, or its own path when it matched
// none (a 404).
func pathOf(c echo.Context) string {
	if p := c.Path(); p != "" {
		return p
	}
	return c.Request().URL.Path
}

// requestLine names a request's log line and its level.
func requestLine(c echo.Context) (string, slog.Level) {
	name, level := "webhook", slog.LevelInfo
	if c.Path() != "/webhook" {
		name = "request"
	}
	switch status := c.Response().Status; {
	case status >= 500:
		level = slog.LevelError
	case status >= 400:
		level = slog.LevelWarn
	case name == "request" || applied(c):
		level = slog.LevelDebug
	}
	return name, level
}

// applied reports whether the request was a delivery whose events were all
// applied, each logged on a line of its own.
func applied(c echo.Context) bool {
	out, _ := c.Get(keyOutcome).(string)
	n, _ := c.Get(keyEvents).(int)
	return out == "ok" && n > 0
}

// setOutcome records what a delivery did, for its log line.
func setOutcome(c echo.Context, outcome string, events int) {
	c.Set(keyOutcome, outcome)
	c.Set(keyEvents, events)
}

// requestIDOf returns the id logRequests gave c.
func requestIDOf(c echo.Context) string {
	id, _ := c.Get(keyRequestID).(string)
	return id
}

// newRequestID is a random 64-bit id, hex-encoded.
func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
