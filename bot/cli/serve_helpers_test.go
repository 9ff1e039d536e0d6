package cli

import (
	"context"
	"errors"
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
}

// startServe wires a server exactly as `souk serve` does, with vars as its
// whole environment, and serves it on 127.0.0.1 until the test ends.
func startServe(t *testing.T, vars map[string]string, args ...string) *testServer {
	t.Helper()
	logs := &bottest.Buffer{}
	reg := handlers.NewRegistry()
	handlers.RegisterBuiltins(reg)
	env := &Env{Stderr: logs, Stdout: logs, Getenv: func(k string) string { return vars[k] }, Handlers: reg}
	cfg, err := loadServeConfig(env, args)
	if err != nil {
		t.Fatalf("serve config: %v", err)
	}
	log := newLogger(logs)
	a, err := buildApp(cfg, env, log)
	if err != nil {
		t.Fatalf("building the server: %v\n%s", err, logs)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		a.close()
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.serve(ctx, ln, log) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("server: %v", err)
		}
		a.close()
	})
	return &testServer{URL: "http://" + ln.Addr().String(), Log: logs}
}
