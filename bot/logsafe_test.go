package bot

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

type leaky struct{ Key string }

type leakyValuer struct{}

func (leakyValuer) LogValue() slog.Value { return slog.StringValue("key=K3Y-SECRET") }

func TestRedactSecrets(t *testing.T) {
	const key, token = "K3Y-SECRET", "T0KEN-SECRET"
	tests := []struct {
		name string
		log  func(l *slog.Logger)
	}{
		{"message", func(l *slog.Logger) { l.Info("key is " + key) }},
		{"string attr", func(l *slog.Logger) { l.Info("x", "v", "Bearer "+token) }},
		{"error attr", func(l *slog.Logger) { l.Error("x", "err", fmt.Errorf("wrapped: %w", errors.New("bad key "+key))) }},
		{"struct attr", func(l *slog.Logger) { l.Info("x", "cfg", leaky{Key: key}) }},
		{"log valuer", func(l *slog.Logger) { l.Info("x", "v", leakyValuer{}) }},
		{"group", func(l *slog.Logger) { l.Info("x", slog.Group("g", "a", key, slog.Group("h", "b", token))) }},
		{"with attrs", func(l *slog.Logger) { l.With("k", key).Info("x") }},
		{"with group", func(l *slog.Logger) { l.WithGroup("g").Info("x", "k", token) }},
		{"attr key", func(l *slog.Logger) { l.Info("x", key, 1) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			l := slog.New(RedactSecrets(slog.NewJSONHandler(&buf, nil), key, "", token))
			tt.log(l)
			if out := buf.String(); strings.Contains(out, "SECRET") || !strings.Contains(out, Redacted) {
				t.Fatalf("log %s", out)
			}
		})
	}
}

func TestRedactSecretsKeepsOthers(t *testing.T) {
	var buf bytes.Buffer
	l := slog.New(RedactSecrets(slog.NewJSONHandler(&buf, nil), "s3cret"))
	l.Info("hello", "n", 42, "ok", true, "s", "plain")
	want := `"msg":"hello","n":42,"ok":true,"s":"plain"`
	if !strings.Contains(buf.String(), want) {
		t.Fatalf("log %s, want %s", buf.String(), want)
	}
	h := slog.NewJSONHandler(&buf, nil)
	if RedactSecrets(h, "", "") != slog.Handler(h) {
		t.Error("no secrets should return the handler as is")
	}
}

func TestRedactSecretsIgnoresTinySecrets(t *testing.T) {
	var buf bytes.Buffer
	l := slog.New(RedactSecrets(slog.NewJSONHandler(&buf, nil), "k", "x", "LONGSECRET"))
	l.Info("souk serving on localhost", "exit", "lost on exit", "key", "LONGSECRET")
	out := buf.String()
	if !strings.Contains(out, "souk serving on localhost") || !strings.Contains(out, "lost on exit") || strings.Contains(out, "LONGSECRET") {
		t.Fatalf("log %s", out)
	}
}
