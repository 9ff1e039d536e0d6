package webhook

import (
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/souk-commerce/souk/bot/metrics"
)

// Context keys receive sets for metered.
const (
	envelopeKey = "souk.envelope"
	ignoredKey  = "souk.ignored"
)

// metered wraps the POST handler to record each delivery's outcome,
// envelope and handling time; it is a no-op without Config.Metrics.
func (s *Server) metered(next echo.HandlerFunc) echo.HandlerFunc {
	if s.cfg.Metrics == nil {
		return next
	}
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		env, _ := c.Get(envelopeKey).(string)
		s.cfg.Metrics.Webhook(outcomeOf(c, err), env, start)
		return err
	}
}

// outcomeOf names what the handler answered for the outcome label.
func outcomeOf(c echo.Context, err error) string {
	if err == nil {
		if c.Get(ignoredKey) != nil {
			return metrics.OutcomeIgnored
		}
		return metrics.OutcomeOK
	}
	var he *echo.HTTPError
	if !errors.As(err, &he) {
		return metrics.OutcomeError
	}
	switch he.Code {
	case http.StatusBadRequest:
		return metrics.OutcomeBadRequest
	case http.StatusUnauthorized:
		return metrics.OutcomeUnauthorized
	case http.StatusRequestEntityTooLarge:
		return metrics.OutcomeTooLarge
	case http.StatusServiceUnavailable:
		return metrics.OutcomeUnavailable
	}
	return metrics.OutcomeError
}

// metricsRoute serves GET /metrics when the server has Metrics.
func (s *Server) metricsRoute() {
	if s.cfg.Metrics != nil {
		s.e.GET("/metrics", echo.WrapHandler(s.cfg.Metrics.Handler()))
	}
}
