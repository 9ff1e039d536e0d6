package webhook

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// operatorRoutes mounts the handlers meant for the people running souk (the
// web simulator), behind OperatorToken when it is set.
func (s *Server) operatorRoutes() {
	if s.cfg.Simulator == nil {
		return
	}
	h := echo.WrapHandler(s.cfg.Simulator)
	s.e.Any("/simulator", h, s.operatorAuth)
	s.e.Any("/simulator/*", h, s.operatorAuth)
}

// operatorAuth lets a request through when no OperatorToken is configured
// or when it carries the token as "Bearer TOKEN" or as the password of
// Basic auth (any user name), so a browser can sign in with its own prompt.
func (s *Server) operatorAuth(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.cfg.OperatorToken == "" || s.operatorAllowed(c.Request()) {
			return next(c)
		}
		c.Response().Header().Set("WWW-Authenticate", `Basic realm="souk operator"`)
		return echo.NewHTTPError(http.StatusUnauthorized, "operator token required")
	}
}

func (s *Server) operatorAllowed(r *http.Request) bool {
	if _, pass, ok := r.BasicAuth(); ok {
		return equal(pass, s.cfg.OperatorToken)
	}
	bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && equal(bearer, s.cfg.OperatorToken)
}
