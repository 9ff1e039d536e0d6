package cli

import (
	"fmt"
	"io"
	"log/slog"
	"os"

	"golang.org/x/term"
)

// newLogger logs text to a terminal and JSON otherwise, at level (info
// when nil).
func newLogger(w io.Writer, level slog.Leveler) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// envLogger is newLogger on env.Stderr at the level SOUK_LOG_LEVEL names:
// debug, info (the default), warn or error.
func envLogger(env *Env) (*slog.Logger, error) {
	var level slog.Level
	if v := env.Getenv("SOUK_LOG_LEVEL"); v != "" {
		if err := level.UnmarshalText([]byte(v)); err != nil {
			return nil, fmt.Errorf("SOUK_LOG_LEVEL %q: want debug, info, warn or error", v)
		}
	}
	return newLogger(env.Stderr, level), nil
}
