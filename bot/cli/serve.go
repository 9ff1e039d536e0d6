package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/metrics"
	"github.com/souk-commerce/souk/bot/webhook"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/store"
)

func init() {
	register("serve", "serve --flow FILE [--addr :8080] [--debug-addr 127.0.0.1:6060]  run the webhook server", runServe)
}

// serveConfig is everything `souk serve` reads from flags and environment.
type serveConfig struct {
	addr, flow string
	redisURL   string
	// debugAddr, when set, serves net/http/pprof there (loopback only).
	debugAddr   string
	redisPrefix string
	kaleyra     kaleyra.Config
	hook        webhook.Config
}

func loadServeConfig(env *Env, args []string) (serveConfig, error) {
	fs := newFlags(env, "serve")
	c := serveConfig{redisURL: env.Getenv("REDIS_URL"), kaleyra: kaleyra.ConfigFromEnv(env.Getenv),
		redisPrefix: env.Getenv("SOUK_REDIS_PREFIX")}
	fs.StringVar(&c.debugAddr, "debug-addr", env.Getenv("SOUK_DEBUG_ADDR"), "loopback address for net/http/pprof (off when empty)")
	fs.StringVar(&c.addr, "addr", orDefault(env.Getenv("SOUK_ADDR"), ":8080"), "listen address")
	fs.StringVar(&c.flow, "flow", env.Getenv("SOUK_FLOW"), "flow file")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if c.flow == "" {
		return c, errors.New("no flow: pass --flow FILE or set SOUK_FLOW")
	}
	if err := checkDebugAddr(c.debugAddr); err != nil {
		return c, err
	}
	c.hook = webhook.Config{VerifyToken: env.Getenv("WEBHOOK_VERIFY_TOKEN"), AppSecret: env.Getenv("WEBHOOK_APP_SECRET"),
		Token: env.Getenv("WEBHOOK_TOKEN"), TokenHeader: env.Getenv("WEBHOOK_TOKEN_HEADER")}
	return c, nil
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func runServe(ctx context.Context, env *Env, args []string) int {
	log := newLogger(env.Stderr)
	cfg, err := loadServeConfig(env, args)
	if err != nil {
		fmt.Fprintf(env.Stderr, "souk serve: %v\n", err)
		return 2
	}
	app, err := buildApp(cfg, env, log)
	if err != nil {
		fmt.Fprintf(env.Stderr, "souk serve: %v\n", err)
		return 1
	}
	defer app.close()
	_, stopDebug, err := startDebug(cfg.debugAddr, log)
	if err != nil {
		fmt.Fprintf(env.Stderr, "souk serve: %v\n", err)
		return 1
	}
	defer stopDebug()
	if err := app.listen(ctx, cfg.addr, log); err != nil {
		log.Error("server stopped", "err", err)
		return 1
	}
	return 0
}

// app is a wired, running souk server.
type app struct {
	store  store.Store
	engine *bot.Engine
	server *webhook.Server
}

func (a *app) close() { _ = a.store.Close() }

func buildApp(cfg serveConfig, env *Env, log *slog.Logger) (*app, error) {
	flow, diags := flows.Load(cfg.flow, flowOptions(env, false))
	for _, d := range diags {
		fmt.Fprintln(env.Stderr, d)
	}
	if diags.HasErrors() {
		return nil, fmt.Errorf("flow %s has errors; not starting", cfg.flow)
	}
	st, err := openStore(cfg.redisURL, cfg.redisPrefix, log)
	if err != nil {
		return nil, err
	}
	m := metrics.New()
	cfg.hook.Metrics = m
	sender, err := kaleyra.NewSender(cfg.kaleyra, log)
	if err != nil {
		st.Close()
		return nil, err
	}
	if cfg.kaleyra.APIKey == "" {
		log.Warn("KALEYRA_API_KEY is not set: dry-run sender, replies are logged, not sent")
	}
	eng, err := bot.New(bot.Config{Flow: flow, Store: metrics.Store{Store: st, Metrics: m}, Handlers: env.Handlers, Logger: log,
		Dispatcher: bot.Direct{Sender: metrics.Sender{Inner: sender, Metrics: m}, Log: log}, BusinessNumber: cfg.kaleyra.Number, Metrics: m})
	if err != nil {
		st.Close()
		return nil, err
	}
	return wireServer(cfg, st, eng, log)
}

func wireServer(cfg serveConfig, st store.Store, eng *bot.Engine, log *slog.Logger) (*app, error) {
	hook := cfg.hook
	hook.Engine, hook.Store, hook.Logger = eng, st, log
	srv, err := webhook.New(hook)
	if err != nil {
		st.Close()
		return nil, err
	}
	if hook.AppSecret == "" && hook.Token == "" {
		log.Warn("webhooks are unauthenticated: set WEBHOOK_APP_SECRET (Meta) or WEBHOOK_TOKEN (Kaleyra)")
	}
	return &app{store: st, engine: eng, server: srv}, nil
}

func openStore(url, prefix string, log *slog.Logger) (store.Store, error) {
	st, embedded, err := store.Open(url, store.Config{Prefix: prefix})
	if err != nil {
		return nil, err
	}
	if embedded {
		log.Info("REDIS_URL is not set: using an embedded in-process Redis; conversations are lost on exit")
	}
	return st, nil
}

// listen serves until ctx is done, then shuts down gracefully.
func (a *app) listen(ctx context.Context, addr string, log *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: a.server, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second}
	log.Info("souk serving", "addr", ln.Addr().String(), "flow", a.engine.Flow().Name)
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return hs.Shutdown(sctx)
}
