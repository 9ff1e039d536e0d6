package webhook

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/metrics"
	"github.com/souk-commerce/souk/bot/whatsapp"
)

// MaxBody is the largest webhook body accepted; Meta sends up to 3 MB.
const MaxBody = 4 << 20

// MaxEvents is the most events one delivery may carry: Meta batches at
// most 1000 updates in a POST, and Kaleyra sends one. More is refused
// with 413 before any is applied.
const MaxEvents = 1000

// Engine applies one inbound event. *bot.Engine implements it.
type Engine interface {
	Handle(ctx context.Context, ev whatsapp.Event) (bot.Result, error)
}

// Pinger reports whether the store is reachable.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Config configures the HTTP side. Engine and Store are required.
type Config struct {
	Engine Engine
	Store  Pinger
	Logger *slog.Logger
	// VerifyToken answers Meta's GET verification handshake.
	VerifyToken string
	// AppSecret, when set, requires a valid X-Hub-Signature-256 on every POST.
	AppSecret string
	// Token, when set, must be the value of header TokenHeader on every POST.
	Token       string
	TokenHeader string
	// Recorder, when set, is called with the raw body of every POST that was
	// authenticated and fully applied (souk serve --record).
	Recorder func(body []byte)
	// Operator serves POST /send and POST /operator/handoff/resume; they
	// need OperatorToken.
	Operator Operator
	// Simulator, when set, is served at /simulator and below; nil leaves
	// those routes off.
	Simulator http.Handler
	// OperatorToken guards the operator routes: a request must carry it as
	// a Bearer token or as the password of Basic auth. The simulator is
	// open when it is empty (dry run); the operator API is then off.
	OperatorToken string
	// Metrics, when set, records every delivery and is served at GET /metrics.
	Metrics *metrics.Metrics
}

// Validate reports what is missing from c.
func (c Config) Validate() error {
	if c.Engine == nil || c.Store == nil {
		return errors.New("webhook: Config.Engine and Config.Store are required")
	}
	if c.TokenHeader != "" && !isHeaderName(c.TokenHeader) {
		return fmt.Errorf("webhook: token header (WEBHOOK_TOKEN_HEADER) %q is not an HTTP header name", c.TokenHeader)
	}
	if c.TokenHeader != "" && c.Token == "" && c.AppSecret == "" {
		return errors.New("webhook: a token header (WEBHOOK_TOKEN_HEADER) is set but no token (WEBHOOK_TOKEN), so webhooks would not be checked")
	}
	return nil
}

// isHeaderName reports whether s is an RFC 9110 token, as a header's name
// must be.
func isHeaderName(s string) bool {
	for _, c := range []byte(s) {
		ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
		if !ok {
			return false
		}
	}
	return s != ""
}

// Server serves the webhook and health endpoints.
type Server struct {
	cfg Config
	e   *echo.Echo
	log *slog.Logger
}

// New builds the server; bad configuration fails here, not per request.
func New(cfg Config) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.TokenHeader == "" {
		cfg.TokenHeader = "X-Webhook-Token"
	}
	s := &Server{cfg: cfg, e: echo.New(), log: cfg.Logger}
	s.e.HideBanner, s.e.HidePort = true, true
	s.e.HTTPErrorHandler = s.errorHandler
	s.e.Use(s.logRequests, s.recoverPanics)
	s.routes()
	return s, nil
}

// Authenticated reports whether webhooks must carry a signature or a
// token.
func (c Config) Authenticated() bool { return c.AppSecret != "" || c.Token != "" }

// Echo exposes the router so other parts (metrics, simulator) can add routes.
func (s *Server) Echo() *echo.Echo { return s.e }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.e.ServeHTTP(w, r) }

func (s *Server) routes() {
	s.e.GET("/webhook", s.verify)
	s.e.POST("/webhook", s.metered(s.receive))
	// Probes may use HEAD, as some load balancers do.
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		s.e.Add(method, "/healthz", healthy)
		s.e.Add(method, "/readyz", s.ready)
	}
	s.operatorRoutes()
	s.metricsRoute()
}

func healthy(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) ready(c echo.Context) error {
	if err := s.cfg.Store.Ping(c.Request().Context()); err != nil {
		// The cause is logged, not answered: it can name hosts inside.
		return echo.NewHTTPError(http.StatusServiceUnavailable, "store unreachable").SetInternal(err)
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

// errorHandler answers every error with a JSON body {"error": "..."}.
// An error that is not an *echo.HTTPError is a bug: it is logged and
// answered 500 without its text.
func (s *Server) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	code := http.StatusInternalServerError
	var he *echo.HTTPError
	if errors.As(err, &he) {
		code = he.Code
	} else {
		s.log.Error("request failed", "request_id", requestIDOf(c), "path", pathOf(c), "err", err)
	}
	_ = c.JSON(code, map[string]string{"error": errorMessage(err)})
}

// errorMessage is the text a client may see for err.
func errorMessage(err error) string {
	var he *echo.HTTPError
	if !errors.As(err, &he) {
		return "internal error"
	}
	if m, ok := he.Message.(string); ok {
		return m
	}
	return http.StatusText(he.Code)
}
