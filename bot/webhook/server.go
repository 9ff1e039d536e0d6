package webhook

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/metrics"
	"github.com/souk-commerce/souk/bot/whatsapp"
)

// MaxBody is the largest webhook body accepted; Meta sends up to 3 MB.
const MaxBody = 4 << 20

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
	// Metrics, when set, records every delivery and is served at GET /metrics.
	Metrics *metrics.Metrics
}

// Validate reports what is missing from c.
func (c Config) Validate() error {
	if c.Engine == nil || c.Store == nil {
		return errors.New("webhook: Config.Engine and Config.Store are required")
	}
	return nil
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
	s.routes()
	return s, nil
}

// Echo exposes the router so other parts (metrics, simulator) can add routes.
func (s *Server) Echo() *echo.Echo { return s.e }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.e.ServeHTTP(w, r) }

func (s *Server) routes() {
	s.e.GET("/webhook", s.verify)
	s.e.POST("/webhook", s.metered(s.receive))
	s.e.GET("/healthz", func(c echo.Context) error { return c.JSON(http.StatusOK, map[string]string{"status": "ok"}) })
	s.e.GET("/readyz", s.ready)
	s.metricsRoute()
}

func (s *Server) ready(c echo.Context) error {
	if err := s.cfg.Store.Ping(c.Request().Context()); err != nil {
		return echo.NewHTTPError(http.StatusServiceUnavailable, "store unreachable")
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

// errorHandler answers every error with a JSON body {"error": "..."}.
func (s *Server) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	code, msg := http.StatusInternalServerError, "internal error"
	var he *echo.HTTPError
	if errors.As(err, &he) {
		code = he.Code
		if m, ok := he.Message.(string); ok {
			msg = m
		} else {
			msg = http.StatusText(code)
		}
	}
	if code >= 500 {
		s.log.Error("request failed", "path", c.Path(), "status", code, "err", err)
	}
	_ = c.JSON(code, map[string]string{"error": msg})
}
