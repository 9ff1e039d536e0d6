package webhook

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"

	"github.com/labstack/echo/v4"
	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/whatsapp"
)

// errPanicked marks an event whose handling panicked; it was logged and
// counted, and the rest of the delivery goes on.
var errPanicked = errors.New("webhook: handling the event panicked")

// handle runs the engine on one event, turning a panic into errPanicked.
// The event is then acknowledged with the rest of the delivery: a retry
// would only panic again.
func (s *Server) handle(ctx context.Context, rid string, ev whatsapp.Event) (res bot.Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			s.cfg.Metrics.WebhookPanic()
			s.log.Error("panic while handling an event; event dropped, the rest of the delivery goes on",
				"request_id", rid, "shopper", maskShopper(ev.From), "kind", ev.Kind, "id", bot.LogID(ev.ID),
				"panic", whatsapp.HidePhone(fmt.Sprint(p), ev.From), "stack", string(debug.Stack()))
			err = errPanicked
		}
	}()
	return s.cfg.Engine.Handle(ctx, ev)
}

// recoverPanics is middleware that turns a panic anywhere in a request into
// a logged, counted 500 with a JSON body, keeping the process up.
func (s *Server) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.cfg.Metrics.WebhookPanic()
				s.log.Error("panic in request", "request_id", requestIDOf(c), "path", pathOf(c),
					"panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				err = echo.NewHTTPError(http.StatusInternalServerError, "internal error")
			}
		}()
		return next(c)
	}
}

// maskShopper masks a sender for logs; a sender too long to be a number,
// and not a user id, is shown only by its length.
func maskShopper(from string) string {
	if len(from) > 20 && !whatsapp.ValidUserID(from) {
		return fmt.Sprintf("[%d bytes, not a number]", len(from))
	}
	return bot.MaskPhone(from)
}
