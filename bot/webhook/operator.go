package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/store"
)

// Operator is what the operator endpoints drive. *bot.Engine implements it.
type Operator interface {
	Reengage(ctx context.Context, r bot.Reengagement) (string, error)
	Resume(ctx context.Context, phone string) (bool, []store.Held, error)
}

// HandoffLister is an Operator that can list the shoppers waiting for a
// person, for GET /operator/handoffs. *bot.Engine implements it.
type HandoffLister interface {
	Waiting(ctx context.Context, limit int) ([]store.Waiting, error)
}

// OptOutKeeper is an Operator that reads and sets shoppers' opt-outs, for
// GET and POST /operator/optout. *bot.Engine implements it.
type OptOutKeeper interface {
	OptedOutSince(ctx context.Context, phone string) (time.Time, error)
	SetOptOut(ctx context.Context, phone string, out bool) error
}

// operatorRoutes adds the endpoints meant for the people running souk: the
// operator API (always behind the token) and the web simulator (behind the
// token when one is set).
func (s *Server) operatorRoutes() {
	s.e.POST("/send", s.reengage, s.requireOperator)
	s.e.POST("/operator/handoff/resume", s.resume, s.requireOperator)
	s.e.GET("/operator/handoffs", s.waiting, s.requireOperator)
	s.e.GET("/operator/optout", s.optOut, s.requireOperator)
	s.e.POST("/operator/optout", s.setOptOut, s.requireOperator)
	if s.cfg.Simulator != nil {
		h := echo.WrapHandler(s.cfg.Simulator)
		s.e.Any("/simulator", h, s.simulatorAuth)
		s.e.Any("/simulator/*", h, s.simulatorAuth)
	}
}

// requireOperator lets a request through only when the operator API is
// configured and the request carries the token.
func (s *Server) requireOperator(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.cfg.OperatorToken == "" || s.cfg.Operator == nil {
			return echo.NewHTTPError(http.StatusForbidden, "operator API is disabled: set SOUK_OPERATOR_TOKEN")
		}
		if !s.operatorAllowed(c.Request()) {
			return echo.NewHTTPError(http.StatusUnauthorized, "missing or invalid bearer token")
		}
		if crossSite(c.Request()) {
			return echo.NewHTTPError(http.StatusForbidden, "operator API calls from another site's page are refused")
		}
		return next(c)
	}
}

// crossSite reports a request a browser made from another site's page. A
// browser that signed in to the simulator with Basic auth sends those
// credentials with it, and the operator routes take any Content-Type, so
// without this check a form on any site could send templates or resume
// handoffs. Tools such as curl send neither header.
func crossSite(r *http.Request) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" { // a browser's own word, past any proxy's Host
		return site != "same-origin" && site != "none"
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	u, err := url.Parse(origin)
	return err != nil || !strings.EqualFold(u.Host, r.Host)
}

// simulatorAuth lets a request through when no OperatorToken is configured
// or when it carries the token, and asks a browser to sign in otherwise.
func (s *Server) simulatorAuth(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.cfg.OperatorToken == "" || s.operatorAllowed(c.Request()) {
			return next(c)
		}
		c.Response().Header().Set("WWW-Authenticate", `Basic realm="souk operator"`)
		return echo.NewHTTPError(http.StatusUnauthorized, "operator token required")
	}
}

// operatorAllowed reports whether r carries the operator token as
// "Bearer TOKEN" or as the password of Basic auth (any user name).
func (s *Server) operatorAllowed(r *http.Request) bool {
	if _, pass, ok := r.BasicAuth(); ok {
		return equal(pass, s.cfg.OperatorToken)
	}
	bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && equal(bearer, s.cfg.OperatorToken)
}

// reengage sends a single-product template: POST /send with a
// bot.Reengagement body; 202 {"id": ...} once dispatched.
func (s *Server) reengage(c echo.Context) error {
	var r bot.Reengagement
	if err := bindJSON(c, &r); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "body must be JSON {to, template, language, product, catalog?, params?}")
	}
	id, err := s.cfg.Operator.Reengage(c.Request().Context(), r)
	switch {
	case errors.Is(err, bot.ErrIncompleteReengagement), errors.Is(err, bot.ErrUnknownProduct),
		errors.Is(err, whatsapp.ErrInvalidMessage), errors.Is(err, bot.ErrBadPhone):
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	case errors.Is(err, bot.ErrOutsideWindow), errors.Is(err, bot.ErrOptedOut):
		return echo.NewHTTPError(http.StatusConflict, err.Error())
	case errors.Is(err, bot.ErrUnsendable):
		return echo.NewHTTPError(http.StatusNotImplemented, err.Error())
	case err != nil:
		s.log.Error("re-engagement not sent", "shopper", bot.MaskPhone(whatsapp.ShopperID(r.To)), "err", err)
		if errors.Is(err, bot.ErrStoreUnavailable) {
			return echo.NewHTTPError(http.StatusServiceUnavailable, "store unavailable, retry later")
		}
		return echo.NewHTTPError(http.StatusBadGateway, "not sent: "+err.Error())
	}
	return c.JSON(http.StatusAccepted, map[string]string{"id": id})
}

// resume ends a handoff: POST /operator/handoff/resume {"phone": ...};
// 200 with whether it was paused and the messages held meanwhile.
func (s *Server) resume(c echo.Context) error {
	var req struct {
		Phone string `json:"phone"`
	}
	if err := bindJSON(c, &req); err != nil || !whatsapp.ValidShopper(whatsapp.ShopperID(req.Phone)) {
		return echo.NewHTTPError(http.StatusBadRequest, `body must be JSON {"phone": "<E.164 number or WhatsApp user id>"}`)
	}
	was, held, err := s.cfg.Operator.Resume(c.Request().Context(), req.Phone)
	if err != nil {
		s.log.Error("handoff not resumed", "shopper", bot.MaskPhone(whatsapp.ShopperID(req.Phone)), "err", err)
		return echo.NewHTTPError(http.StatusServiceUnavailable, "store unavailable, retry later")
	}
	if held == nil {
		held = []store.Held{} // [] in the answer, not null
	}
	return c.JSON(http.StatusOK, map[string]any{"was_paused": was, "held": held})
}

// optOut tells whether a shopper opted out: GET /operator/optout?phone=P;
// 200 {"phone", "opted_out", "since"?}.
func (s *Server) optOut(c echo.Context) error {
	keeper, phone, err := s.optOutRequest(c.QueryParam("phone"))
	if err != nil {
		return err
	}
	since, err := keeper.OptedOutSince(c.Request().Context(), phone)
	if err != nil {
		s.log.Error("opt-out not read", "shopper", bot.MaskPhone(phone), "err", err)
		return echo.NewHTTPError(http.StatusServiceUnavailable, "store unavailable, retry later")
	}
	return c.JSON(http.StatusOK, optOutAnswer(phone, since))
}

// setOptOut records a shopper's opt-out, or opt-in: POST /operator/optout
// {"phone", "opted_out": true|false}; 200 as GET answers.
func (s *Server) setOptOut(c echo.Context) error {
	var req struct {
		Phone    string `json:"phone"`
		OptedOut *bool  `json:"opted_out"`
	}
	if err := bindJSON(c, &req); err != nil || req.OptedOut == nil {
		return echo.NewHTTPError(http.StatusBadRequest, `body must be JSON {"phone": "<E.164 number>", "opted_out": true or false}`)
	}
	keeper, phone, err := s.optOutRequest(req.Phone)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	err = keeper.SetOptOut(ctx, phone, *req.OptedOut)
	var since time.Time
	if err == nil {
		since, err = keeper.OptedOutSince(ctx, phone)
	}
	if err != nil {
		s.log.Error("opt-out not set", "shopper", bot.MaskPhone(phone), "err", err)
		return echo.NewHTTPError(http.StatusServiceUnavailable, "store unavailable, retry later")
	}
	return c.JSON(http.StatusOK, optOutAnswer(phone, since))
}

// optOutRequest checks an opt-out request's phone and that this server
// keeps opt-outs.
func (s *Server) optOutRequest(arg string) (OptOutKeeper, string, error) {
	keeper, ok := s.cfg.Operator.(OptOutKeeper)
	if !ok {
		return nil, "", echo.NewHTTPError(http.StatusNotImplemented, "this server does not keep opt-outs")
	}
	phone := whatsapp.ShopperID(arg)
	if !whatsapp.ValidShopper(phone) {
		return nil, "", echo.NewHTTPError(http.StatusBadRequest, "phone must be an E.164 number or a WhatsApp user id")
	}
	return keeper, phone, nil
}

func optOutAnswer(phone string, since time.Time) map[string]any {
	answer := map[string]any{"phone": phone, "opted_out": !since.IsZero()}
	if !since.IsZero() {
		answer["since"] = since
	}
	return answer
}

// DefaultWaitingLimit and MaxWaitingLimit bound GET /operator/handoffs.
const (
	DefaultWaitingLimit = 100
	MaxWaitingLimit     = 1000
)

// waiting lists the shoppers handed off to a person: GET
// /operator/handoffs[?limit=N]; 200 {"waiting": [...]}, longest first.
func (s *Server) waiting(c echo.Context) error {
	lister, ok := s.cfg.Operator.(HandoffLister)
	if !ok {
		return echo.NewHTTPError(http.StatusNotImplemented, "this server cannot list handoffs")
	}
	limit := DefaultWaitingLimit
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxWaitingLimit {
			return echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("limit must be a number from 1 to %d", MaxWaitingLimit))
		}
		limit = n
	}
	w, err := lister.Waiting(c.Request().Context(), limit)
	if err != nil {
		s.log.Error("handoffs not listed", "err", err)
		return echo.NewHTTPError(http.StatusServiceUnavailable, "store unavailable, retry later")
	}
	if w == nil {
		w = []store.Waiting{} // [] in the answer, not null
	}
	return c.JSON(http.StatusOK, map[string]any{"waiting": w})
}

// maxOperatorBody bounds an operator request's body.
const maxOperatorBody = 64 << 10

// bindJSON decodes an operator request's body as one JSON value into v,
// whatever its Content-Type says: curl -d labels JSON as a form.
func bindJSON(c echo.Context, v any) error {
	dec := json.NewDecoder(io.LimitReader(c.Request().Body, maxOperatorBody))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("more than one JSON value")
	}
	return nil
}
