package cli

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"testing"

	"github.com/souk-commerce/souk/bot/bottest"
	"github.com/souk-commerce/souk/handlers"
)

// testServer is `souk serve` running on a loopback port.
type testServer struct {
	URL string
	Log *bottest.Buffer
	app *app
}

// newApp wires an app exactly as `souk serve` does, with vars as its whole
// environment, the built-in handlers and args as its flags, logging to
// logs; it is closed when the test ends.
func newApp(t *testing.T, vars map[string]string, logs io.Writer, args ...string) *app {
	t.Helper()
	return newAppWith(t, vars, logs, nil, args...)
}

// newAppWith is newApp with adjust, if not nil, changing the loaded
// serveConfig before the app is built (for settings no flag or variable
// reaches, such as how often the outbox gauges are read).
func newAppWith(t *testing.T, vars map[string]string, logs io.Writer, adjust func(*serveConfig), args ...string) *app {
	t.Helper()
	reg := handlers.NewRegistry()
	handlers.RegisterBuiltins(reg)
	env := &Env{Stderr: logs, Stdout: logs, Getenv: func(k string) string { return vars[k] }, Handlers: reg}
	cfg, err := loadServeConfig(env, args)
	if err != nil {
		t.Fatalf("serve config: %v", err)
	}
	if adjust != nil {
		adjust(&cfg)
	}
	a, err := buildApp(cfg, env, newLogger(logs, nil))
	if err != nil {
		t.Fatalf("building the server: %v\n%s", err, logs)
	}
	t.Cleanup(a.close)
	return a
}

// startServe wires a server as newApp does and serves it on 127.0.0.1
// until the test ends; if the test failed, the server's log is printed.
func startServe(t *testing.T, vars map[string]string, args ...string) *testServer {
	t.Helper()
	return startServeWith(t, vars, nil, args...)
}

// startServeWith is startServe with adjust, if not nil, changing the
// serveConfig before the app is built, as in newAppWith.
func startServeWith(t *testing.T, vars map[string]string, adjust func(*serveConfig), args ...string) *testServer {
	t.Helper()
	logs := &bottest.Buffer{}
	t.Cleanup(func() { // registered first, so it runs last: the log includes the shutdown
		if t.Failed() {
			t.Logf("server log:\n%s", logs)
		}
	})
	a := newAppWith(t, vars, logs, adjust, args...)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	log := newLogger(logs, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.serve(ctx, ln, log) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("server: %v", err)
		}
	})
	return &testServer{URL: "http://" + ln.Addr().String(), Log: logs, app: a}
}
