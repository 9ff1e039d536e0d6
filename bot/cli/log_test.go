package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestEnvLoggerLevel checks that SOUK_LOG_LEVEL drops the lines below it
// and that a level souk does not know stops the command with a clear error.
func TestEnvLoggerLevel(t *testing.T) {
	for _, tt := range []struct {
		level      string
		info, warn bool
	}{{"", true, true}, {"debug", true, true}, {"warn", false, true}, {"ERROR", false, false}} {
		var out bytes.Buffer
		env := &Env{Stderr: &out, Getenv: func(k string) string { return map[string]string{"SOUK_LOG_LEVEL": tt.level}[k] }}
		log, err := envLogger(env)
		if err != nil {
			t.Fatalf("SOUK_LOG_LEVEL=%q: %v", tt.level, err)
		}
		log.Info("an info line")
		log.Warn("a warn line")
		if got := strings.Contains(out.String(), "an info line"); got != tt.info {
			t.Errorf("SOUK_LOG_LEVEL=%q: info logged %v, want %v", tt.level, got, tt.info)
		}
		if got := strings.Contains(out.String(), "a warn line"); got != tt.warn {
			t.Errorf("SOUK_LOG_LEVEL=%q: warn logged %v, want %v", tt.level, got, tt.warn)
		}
	}
	var out bytes.Buffer
	env := &Env{Stderr: &out, Getenv: func(k string) string { return map[string]string{"SOUK_LOG_LEVEL": "loud"}[k] }}
	if code := runServe(context.Background(), env, []string{"--flow", "x.yaml"}); code != 2 ||
		!strings.Contains(out.String(), `SOUK_LOG_LEVEL "loud"`) {
		t.Fatalf("serve with SOUK_LOG_LEVEL=loud: exit %d, %q", code, out.String())
	}
}
