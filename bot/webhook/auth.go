package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// verify answers Meta's GET handshake: it echoes hub.challenge when
// hub.mode is subscribe and hub.verify_token matches.
func (s *Server) verify(c echo.Context) error {
	mode, token := c.QueryParam("hub.mode"), c.QueryParam("hub.verify_token")
	if mode != "subscribe" || s.cfg.VerifyToken == "" || !equal(token, s.cfg.VerifyToken) {
		return echo.NewHTTPError(http.StatusForbidden, "verification failed")
	}
	c.Response().Header().Set("X-Content-Type-Options", "nosniff")
	return c.String(http.StatusOK, c.QueryParam("hub.challenge"))
}

// checkToken checks the token header a POST must carry when Token is set.
// It needs no body, so it runs before the body is read.
func (s *Server) checkToken(r *http.Request) error {
	if s.cfg.Token != "" && !equal(r.Header.Get(s.cfg.TokenHeader), s.cfg.Token) {
		return echo.NewHTTPError(http.StatusUnauthorized, "missing or invalid "+s.cfg.TokenHeader)
	}
	return nil
}

// checkSignature checks X-Hub-Signature-256 over the exact body received
// when AppSecret is set.
func (s *Server) checkSignature(r *http.Request, body []byte) error {
	if s.cfg.AppSecret != "" && !validSignature(r.Header.Get("X-Hub-Signature-256"), body, s.cfg.AppSecret) {
		return echo.NewHTTPError(http.StatusUnauthorized, "missing or invalid X-Hub-Signature-256")
	}
	return nil
}

// validSignature checks header = "sha256=" + hex HMAC-SHA256(body, secret)
// over the exact bytes received, in constant time.
func validSignature(header string, body []byte, secret string) bool {
	got, ok := strings.CutPrefix(header, "sha256=")
	if !ok {
		return false
	}
	sig, err := hex.DecodeString(got)
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hmac.Equal(sig, mac.Sum(nil))
}

// equal compares two secrets in constant time; hashing first keeps the
// time independent of their lengths too.
func equal(a, b string) bool {
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(ha[:], hb[:]) == 1
}
