package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/metrics"
	"github.com/souk-commerce/souk/bot/outbox"
	"github.com/souk-commerce/souk/bot/simulator"
	"github.com/souk-commerce/souk/bot/webhook"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/store"
)

func init() {
	register("serve", "serve --flow FILE [--addr :8080] [--watch [--watch-interval 1s]] [--simulator] [--record FILE] [--debug-addr 127.0.0.1:6060]\n"+
		"                                            run the webhook server", runServe)
}

// serveConfig is everything `souk serve` reads from flags and environment.
type serveConfig struct {
	addr, flow string
	redisURL   string
	store      store.Config
	outbox     outbox.Config
	shutdown   time.Duration
	kaleyra    kaleyra.Config
	hook       webhook.Config
	watch      time.Duration // look at the flow file this often; 0 = only on SIGHUP
	record     recordConfig
	simulator  bool // serve the web simulator even with a real sender
	// debugAddr, when set, serves net/http/pprof there (loopback only).
	debugAddr string
	// sendOnly wires the engine and its sender without the HTTP server
	// and the simulator, for souk send.
	sendOnly bool
}

func loadServeConfig(env *Env, args []string) (serveConfig, error) {
	fs := newFlags(env, "serve")
	c := serveConfig{redisURL: env.Getenv("REDIS_URL"), kaleyra: kaleyra.ConfigFromEnv(env.Getenv)}
	fs.StringVar(&c.debugAddr, "debug-addr", env.Getenv("SOUK_DEBUG_ADDR"), "loopback address for net/http/pprof (off when empty)")
	fs.StringVar(&c.addr, "addr", orDefault(env.Getenv("SOUK_ADDR"), ":8080"), "listen address")
	fs.StringVar(&c.flow, "flow", env.Getenv("SOUK_FLOW"), "flow file")
	watch := fs.Bool("watch", false, "reload the flow when its file changes (it is always reloaded on SIGHUP)")
	every := fs.Duration("watch-interval", DefaultWatchInterval, "how often --watch looks at the flow file")
	c.record = recordFlag(fs, env)
	fs.BoolVar(&c.simulator, "simulator", false, "serve the web simulator at /simulator also with a real sender")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q: flags go before it, and the flow is given with --flow FILE", fs.Arg(0))
	}
	if *watch {
		c.watch = max(*every, 10*time.Millisecond)
	}
	if c.flow == "" {
		return c, errors.New("no flow: pass --flow FILE or set SOUK_FLOW")
	}
	err := c.storeFromEnv(env)
	if err != nil {
		return c, err
	}
	if c.shutdown, err = envDuration(env, "SOUK_SHUTDOWN_TIMEOUT", DefaultShutdownTimeout); err != nil {
		return c, err
	}
	if err = checkDebugAddr(c.debugAddr); err != nil {
		return c, err
	}
	c.hook = webhook.Config{VerifyToken: env.Getenv("WEBHOOK_VERIFY_TOKEN"), AppSecret: env.Getenv("WEBHOOK_APP_SECRET"),
		Token: env.Getenv("WEBHOOK_TOKEN"), TokenHeader: env.Getenv("WEBHOOK_TOKEN_HEADER"),
		OperatorToken: env.Getenv("SOUK_OPERATOR_TOKEN")}
	return c, nil
}

// storeFromEnv reads the store's and the outbox's settings, which every
// command that writes to the outbox shares with serve.
func (c *serveConfig) storeFromEnv(env *Env) error {
	var err error
	if c.store, err = storeConfig(env); err != nil {
		return err
	}
	c.outbox, err = outboxConfig(env)
	return err
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func runServe(ctx context.Context, env *Env, args []string) int {
	log, err := envLogger(env)
	if err != nil {
		fmt.Fprintf(env.Stderr, "souk serve: %v\n", err)
		return 2
	}
	cfg, err := loadServeConfig(env, args)
	if err != nil {
		fmt.Fprintf(env.Stderr, "souk serve: %v\n", err)
		return 2
	}
	log = redactedLogger(log, cfg)
	logRedisTo(log)
	log.Info("garbage collector", "gogc", tuneGC(env.Getenv))
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
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		log.Error("cannot listen", "addr", cfg.addr, "err", err)
		return 1
	}
	defer startReload(ctx, cfg, env, app, log)()
	if err := app.serve(ctx, ln, log); err != nil {
		log.Error("server stopped", "err", err)
		return 1
	}
	return 0
}

// app is a wired, running souk server.
type app struct {
	store    store.Store
	engine   *bot.Engine
	server   *webhook.Server
	sim      *simulator.Simulator // nil when the simulator is off
	sender   *outbox.Runner
	shutdown time.Duration
}

func (a *app) close() { _ = a.store.Close() }

// loadServeFlow loads the flow to serve. A flow with errors is refused
// with every problem printed as `souk validate` prints it; the warnings of
// a flow that starts are logged, like everything else serve says.
func loadServeFlow(env *Env, file string, log *slog.Logger) (*flows.Flow, bool) {
	f, diags := flows.Load(file, flowOptions(env, false))
	if diags.HasErrors() {
		for _, d := range diags {
			fmt.Fprintln(env.Stderr, d)
		}
		fmt.Fprintf(env.Stderr, "%s: the flow has errors\n", file)
		return nil, false
	}
	for _, d := range diags {
		log.Warn("flow problem", "diagnostic", d.String())
	}
	return f, true
}

// buildApp wires a server: flow, store, sender, outbox, engine, HTTP.
func buildApp(cfg serveConfig, env *Env, log *slog.Logger) (*app, error) {
	flow, ok := loadServeFlow(env, cfg.flow, log)
	if !ok {
		return nil, fmt.Errorf("flow %s has errors; not starting", cfg.flow)
	}
	st, err := openStore(cfg.redisURL, cfg.store, log)
	if err != nil {
		return nil, err
	}
	if err := checkStore(st, log); err != nil {
		st.Close()
		return nil, err
	}
	a, err := wire(cfg, env, log, flow, st)
	if err != nil {
		st.Close()
		return nil, err
	}
	return a, nil
}

// handlerNames are the handlers this binary registers.
func handlerNames(env *Env) []string {
	if env.Handlers == nil {
		return nil
	}
	return env.Handlers.Names()
}

// messageKinds names every kind of message souk sends.
func messageKinds() []string {
	var kinds []string
	for _, m := range whatsapp.Messages() {
		kinds = append(kinds, m.Kind())
	}
	return kinds
}

// wire builds everything on top of a loaded flow and an open store.
func wire(cfg serveConfig, env *Env, log *slog.Logger, flow *flows.Flow, st *store.Redis) (*app, error) {
	m := metrics.New()
	m.Prepare(handlerNames(env), messageKinds())
	m.WatchHandoffs(st, nil)
	cfg.hook.Metrics = m
	sender, err := newSender(cfg, flow, log)
	if err != nil {
		return nil, err
	}
	var eng *bot.Engine // the simulator reads the catalogue of the flow it runs now
	var sim *simulator.Simulator
	if !cfg.sendOnly {
		sim, sender, err = withSimulator(cfg, sender, st, func() *flows.Flow { return runningFlow(eng, flow) }, log)
		if err != nil {
			return nil, err
		}
		if sim != nil {
			cfg.hook.Simulator = sim // not a typed nil in the interface
		}
	}
	ocfg := cfg.outbox
	ocfg.Store, ocfg.Sender, ocfg.Logger, ocfg.Observer = st, metrics.Sender{Inner: sender, Metrics: m}, log, m
	runner, err := outbox.New(ocfg)
	if err != nil {
		return nil, err
	}
	eng, err = bot.New(bot.Config{Flow: flow, Store: metrics.Store{Redis: st, Metrics: m}, Handlers: env.Handlers, Logger: log,
		Outbox: true, Dispatcher: runner, Statuses: outbox.Statuses{Store: st}, BusinessNumber: cfg.kaleyra.Number, Metrics: m,
		Refuse: cfg.kaleyra.Refuses})
	if err != nil {
		return nil, err
	}
	if cfg.sendOnly {
		return &app{store: st, engine: eng, sender: runner}, nil
	}
	a, err := wireServer(cfg, st, eng, log)
	if a != nil {
		a.sim, a.sender, a.shutdown = sim, runner, cfg.shutdown
	}
	return a, err
}

// newSender is the Kaleyra client, or the dry-run sender without an API key.
func newSender(cfg serveConfig, flow *flows.Flow, log *slog.Logger) (kaleyra.Sender, error) {
	sender, err := kaleyra.NewSender(cfg.kaleyra, log)
	if err != nil {
		return nil, err
	}
	if cfg.kaleyra.APIKey == "" {
		log.Warn("KALEYRA_API_KEY is not set: dry-run sender, replies are logged, not sent")
	}
	warnFlow(log, flow, cfg.kaleyra)
	return sender, nil
}

func wireServer(cfg serveConfig, st store.Store, eng *bot.Engine, log *slog.Logger) (*app, error) {
	hook := cfg.hook
	hook.Engine, hook.Store, hook.Logger, hook.Operator = eng, st, log, eng
	if err := cfg.record.attach(&hook, log); err != nil {
		return nil, err
	}
	srv, err := webhook.New(hook)
	if err != nil {
		return nil, err
	}
	if !hook.Authenticated() {
		log.Warn("webhooks are unauthenticated: set WEBHOOK_APP_SECRET (Meta) or WEBHOOK_TOKEN (Kaleyra)")
	}
	return &app{store: st, engine: eng, server: srv}, nil
}

func openStore(url string, cfg store.Config, log *slog.Logger) (*store.Redis, error) {
	st, embedded, err := store.Open(url, cfg)
	if err != nil {
		return nil, err
	}
	if embedded {
		log.Info("REDIS_URL is not set: using an embedded in-process Redis; conversations are lost on exit")
	}
	return st, nil
}

// startPing bounds the first look at Redis.
const startPing = 3 * time.Second

// checkStore asks Redis once, at start, whether it will serve: an answer
// that refuses (a wrong password or database index) stops the command, as
// it would refuse every step; no answer is logged and the server starts,
// answering 503 until Redis does.
func checkStore(st *store.Redis, log *slog.Logger) error {
	ctx, cancel := context.WithTimeout(context.Background(), startPing)
	defer cancel()
	err := st.Ping(ctx)
	switch {
	case err == nil:
		return nil
	case store.Rejected(err):
		return fmt.Errorf("Redis refuses souk (check REDIS_URL): %w", err)
	}
	log.Warn("Redis does not answer yet: /readyz and webhooks answer 503 until it does", "err", err)
	return nil
}

// runIdle runs the flow's idle timers (bot.Engine.RunIdle) until the
// function it returns is called, which waits for the pass under way.
func (a *app) runIdle() (stop func()) {
	index, ok := a.store.(store.IdleIndex)
	if !ok {
		return func() {}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.engine.RunIdle(ctx, index, bot.DefaultIdlePoll)
	}()
	return func() { cancel(); <-done }
}

func (a *app) shutdownTimeout() time.Duration {
	if a.shutdown > 0 {
		return a.shutdown
	}
	return DefaultShutdownTimeout
}

// serve serves on ln until ctx is done, then shuts down gracefully: the
// listener closes, in-flight webhooks finish, then the outbox sender
// finishes its sends and hands back the outboxes it holds, all within the
// shutdown timeout.
func (a *app) serve(ctx context.Context, ln net.Listener, log *slog.Logger) error {
	hs := a.server.HTTPServer(webhook.Timeouts{})
	if a.sim != nil {
		a.sim.SetWebhookURL(loopbackURL(ln.Addr()))
		hs.RegisterOnShutdown(a.sim.Close)
	}
	log.Info("souk serving", "addr", ln.Addr().String(), "flow", a.engine.Flow().Name)
	if a.sender != nil {
		a.sender.Start()
	}
	stopIdle := a.runIdle()
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		stopIdle()
		stopRunner(context.Background(), a.sender, log)
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: no new webhooks; finishing in-flight ones and the sends in progress", "within", a.shutdownTimeout())
	sctx, cancel := context.WithTimeout(context.Background(), a.shutdownTimeout())
	defer cancel()
	err := hs.Shutdown(sctx)
	stopIdle()
	stopRunner(sctx, a.sender, log)
	log.Info("stopped")
	return err
}
