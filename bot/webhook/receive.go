package webhook

import (
	"errors"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/whatsapp"
)

// receive handles one webhook delivery: read, authenticate, decode, and
// apply every event in order.
func (s *Server) receive(c echo.Context) error {
	body, err := readBody(c)
	if err != nil {
		return err
	}
	if err := s.authenticate(c.Request(), body); err != nil {
		return err
	}
	events, err := whatsapp.Decode(body)
	switch {
	case errors.Is(err, whatsapp.ErrUnknownEnvelope):
		s.log.Info("webhook ignored: unknown envelope", "bytes", len(body))
		c.Set(envelopeKey, "unknown")
		c.Set(ignoredKey, true)
		return c.JSON(http.StatusOK, map[string]string{"status": "ignored"})
	case err != nil:
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	if len(events) > 0 {
		c.Set(envelopeKey, string(events[0].Envelope))
	}
	for _, ev := range events {
		res, err := s.cfg.Engine.Handle(c.Request().Context(), ev)
		if err != nil {
			s.log.Error("event not applied; asking the platform to retry", "shopper", bot.MaskPhone(ev.From), "kind", ev.Kind, "err", err)
			return echo.NewHTTPError(http.StatusServiceUnavailable, "store unavailable, retry later")
		}
		s.logResult(ev, res)
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) logResult(ev whatsapp.Event, res bot.Result) {
	s.log.Info("event", "shopper", bot.MaskPhone(ev.From), "kind", ev.Kind, "envelope", ev.Envelope,
		"trigger", res.Trigger.Step, "from", res.From, "to", res.To, "sent", res.Sent,
		"duplicate", res.Duplicate, "ignored", res.Ignored)
}

// readBody reads at most MaxBody bytes, answering 413 past that without
// reading the rest.
func readBody(c echo.Context) ([]byte, error) {
	r := c.Request()
	if r.ContentLength > MaxBody {
		return nil, echo.NewHTTPError(http.StatusRequestEntityTooLarge, "body larger than 4 MiB")
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), r.Body, MaxBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, echo.NewHTTPError(http.StatusRequestEntityTooLarge, "body larger than 4 MiB")
	}
	if err != nil {
		return nil, echo.NewHTTPError(http.StatusBadRequest, "reading body: "+err.Error())
	}
	return body, nil
}
