package webhook

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/whatsapp"
)

// receive handles one webhook delivery: authenticate, read, decode, and
// apply every event in order.
func (s *Server) receive(c echo.Context) error {
	if err := s.checkToken(c.Request()); err != nil {
		return err
	}
	body, err := readBody(c)
	if err != nil {
		return err
	}
	if err := s.checkSignature(c.Request(), body); err != nil {
		return err
	}
	events, kind, err := whatsapp.DecodeEnvelope(body)
	switch {
	case errors.Is(err, whatsapp.ErrUnknownEnvelope):
		setOutcome(c, "ignored: unknown envelope", 0)
		c.Set(envelopeKey, "unknown")
		c.Set(ignoredKey, true)
		return c.JSON(http.StatusOK, map[string]string{"status": "ignored"})
	case err != nil:
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	c.Set(envelopeKey, string(kind))
	if len(events) > MaxEvents {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge,
			fmt.Sprintf("%d events in one delivery; at most %d", len(events), MaxEvents))
	}
	for _, ev := range events {
		if err := s.apply(c, ev); err != nil {
			setOutcome(c, "unavailable: asked to retry", len(events))
			return err
		}
	}
	if s.cfg.Recorder != nil {
		s.cfg.Recorder(body)
	}
	if len(events) == 0 {
		setOutcome(c, "ignored: no events", 0)
		c.Set(ignoredKey, true)
		return c.JSONBlob(http.StatusOK, ignoredBody)
	}
	setOutcome(c, "ok", len(events))
	return c.JSONBlob(http.StatusOK, okBody)
}

// okBody is the answer to an accepted webhook with events, ignoredBody to
// one with none (an account update, an empty entry), as c.JSON would
// write them.
var (
	okBody      = []byte(`{"status":"ok"}` + "\n")
	ignoredBody = []byte(`{"status":"ignored"}` + "\n")
)

// apply hands one event to the engine. A store error asks the platform to
// retry the delivery; a panic loses only this event.
func (s *Server) apply(c echo.Context, ev whatsapp.Event) error {
	rid := requestIDOf(c)
	// A platform that hangs up still sent the event: it is applied in full
	// (a handler cut short would be taken for a failed one), and the
	// platform's retry is then a duplicate.
	res, err := s.handle(context.WithoutCancel(c.Request().Context()), rid, ev)
	switch {
	case errors.Is(err, errPanicked):
		return nil
	case err != nil:
		s.log.Error("event not applied; asking the platform to retry", "request_id", rid,
			"shopper", maskShopper(ev.From), "kind", ev.Kind, "err", err)
		return echo.NewHTTPError(http.StatusServiceUnavailable, "store unavailable, retry later")
	}
	s.logResult(rid, ev, res)
	return nil
}

// logResult logs one line per applied event. Message text is never logged.
func (s *Server) logResult(rid string, ev whatsapp.Event, res bot.Result) {
	if res.Ignored == bot.IgnoredSender {
		s.log.Warn("event rejected: "+res.Ignored, "request_id", rid,
			"shopper", maskShopper(ev.From), "kind", ev.Kind, "envelope", ev.Envelope)
		return
	}
	// Typed attributes, not key-value pairs: a pair boxes each value, and a
	// value of kind Any costs a fmt.Sprint in the redactor and the handler.
	logInfo(s.log, "event", slog.String("request_id", rid),
		slog.String("shopper", maskShopper(ev.From)), slog.String("kind", string(ev.Kind)),
		slog.String("envelope", string(ev.Envelope)), slog.String("trigger", res.Trigger.Step),
		slog.String("from", res.From), slog.String("to", res.To),
		slog.String("outcome", outcome(res)), slog.Int("sent", res.Sent))
}

// logInfo logs msg at info level as LogAttrs does, but without the
// caller's program counter, so a handler with AddSource shows none: the
// source would always be this file, and taking the stack for it on every
// event cost about 1% of the server's CPU.
func logInfo(l *slog.Logger, msg string, attrs ...slog.Attr) {
	ctx := context.Background()
	if !l.Enabled(ctx, slog.LevelInfo) {
		return
	}
	r := slog.NewRecord(time.Now(), slog.LevelInfo, msg, 0)
	r.AddAttrs(attrs...)
	_ = l.Handler().Handle(ctx, r)
}

// outcome names what one event did, for logs.
func outcome(res bot.Result) string {
	switch {
	case res.Duplicate:
		return "duplicate"
	case res.Ignored != "":
		return "ignored: " + res.Ignored
	case res.Status != "":
		return "status recorded: " + res.Status
	case res.HandlerFailed != "":
		return "handler failed: " + res.HandlerFailed
	case res.Trigger == bot.Reenter:
		return "reentered"
	case res.Trigger.Step == "gather":
		return "held"
	}
	return "moved"
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
