package cli

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

func TestCheckDebugAddr(t *testing.T) {
	tests := []struct {
		name, addr string
		ok         bool
	}{
		{"off", "", true},
		{"ipv4 loopback", "127.0.0.1:6060", true},
		{"other loopback", "127.0.0.2:6060", true},
		{"ipv6 loopback", "[::1]:6060", true},
		{"localhost", "localhost:6060", true},
		{"all interfaces", ":6060", false},
		{"unspecified", "0.0.0.0:6060", false},
		{"private", "10.0.0.1:6060", false},
		{"hostname", "example.com:6060", false},
		{"no port", "127.0.0.1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := checkDebugAddr(tt.addr); (err == nil) != tt.ok {
				t.Fatalf("checkDebugAddr(%q) = %v, want ok=%v", tt.addr, err, tt.ok)
			}
		})
	}
}

func TestServeRefusesPublicDebugAddr(t *testing.T) {
	env := &Env{Stderr: io.Discard, Getenv: func(string) string { return "" }}
	_, err := loadServeConfig(env, []string{"--flow", "x.yaml", "--debug-addr", "0.0.0.0:6060"})
	if err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("loadServeConfig with a public debug address: %v, want a loopback error", err)
	}
}

func TestStartDebugServesPprof(t *testing.T) {
	addr, stop, err := startDebug("127.0.0.1:0", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	resp, err := http.Get("http://" + addr + "/debug/pprof/goroutine?debug=1")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "goroutine profile") {
		t.Fatalf("pprof goroutine profile: %d %.200s", resp.StatusCode, body)
	}
}
