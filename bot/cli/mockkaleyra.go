package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/souk-commerce/souk/bot/kaleyra/kaleyratest"
)

func init() {
	register("mock-kaleyra", "mock-kaleyra [--addr 127.0.0.1:9000] [flags] a fake Kaleyra API to serve against", runMockKaleyra)
}

// mockConfig is what `souk mock-kaleyra` reads from its flags.
type mockConfig struct {
	addr, apiKey, failCode string
	latency                time.Duration
	failRate               float64
}

func runMockKaleyra(ctx context.Context, env *Env, args []string) int {
	fs := newFlags(env, "mock-kaleyra")
	var c mockConfig
	fs.StringVar(&c.addr, "addr", "127.0.0.1:9000", "listen address")
	fs.StringVar(&c.apiKey, "api-key", "", "when set, sends without this api-key header get RBC001")
	fs.DurationVar(&c.latency, "latency", 0, "delay before every answer")
	fs.Float64Var(&c.failRate, "fail-rate", 0, "share of sends (0..1) that fail with --fail-code")
	fs.StringVar(&c.failCode, "fail-code", "WA500", "WA400, RBC001, WA401, WA-401, E110, WA500 or drop")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if !kaleyratest.KnownCode(c.failCode) || c.failRate < 0 || c.failRate > 1 {
		fmt.Fprintln(env.Stderr, "souk mock-kaleyra: --fail-code must be a known code and --fail-rate within 0..1")
		return 2
	}
	return serveMock(ctx, env, c)
}

func serveMock(ctx context.Context, env *Env, c mockConfig) int {
	log, err := envLogger(env)
	if err != nil {
		fmt.Fprintf(env.Stderr, "souk mock-kaleyra: %v\n", err)
		return 2
	}
	mock := kaleyratest.New()
	mock.APIKey = c.apiKey
	mock.SetLatency(c.latency)
	mock.FailRate(c.failCode, c.failRate)
	mock.OnRequest = func(r kaleyratest.Request) {
		log.Info("kaleyra mock", "method", r.Method, "path", r.Path, "status", r.Status, "code", r.Code,
			"message_id", r.MessageID, "bytes", len(r.Body))
	}
	l, err := kaleyratest.Start(mock, c.addr)
	if err != nil {
		fmt.Fprintf(env.Stderr, "souk mock-kaleyra: %v\n", err)
		return 1
	}
	defer l.Close()
	fmt.Fprintf(env.Stdout, "fake Kaleyra API on %s (KALEYRA_BASE_URL=%s); control routes under %s\n", l.URL, l.URL, kaleyratest.ControlPrefix)
	<-ctx.Done()
	log.Info("shutting down", "requests", mock.Len())
	return 0
}
