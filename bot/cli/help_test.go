package cli

import (
	"context"
	"strings"
	"testing"
)

func TestHelp(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		code    int
		stdout  []string
		noStdio bool
	}{
		{"no arguments is a usage error", nil, 2, nil, true},
		{"help", []string{"help"}, 0, []string{"usage: souk <command>", "souk serve", "souk validate"}, false},
		{"--help", []string{"--help"}, 0, []string{"souk outbox"}, false},
		{"serve --help lists its flags", []string{"serve", "--help"}, 0, []string{"usage: souk serve", "-addr", "-watch", "-debug-addr"}, false},
		{"validate -h", []string{"validate", "-h"}, 0, []string{"usage: souk validate", "-strict"}, false},
		{"help after arguments", []string{"graph", "flow.yaml", "--help"}, 0, []string{"-format"}, false},
		{"version has no flags", []string{"version", "-h"}, 0, []string{"usage: souk version"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, nil, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errOut)
			}
			for _, want := range tt.stdout {
				if !strings.Contains(out, want) {
					t.Errorf("stdout lacks %q:\n%s", want, out)
				}
			}
			if tt.noStdio != (out == "") || strings.Contains(out+errOut, "help requested") {
				t.Errorf("stdout %q stderr %q", out, errOut)
			}
		})
	}
}

// TestHelpRunsNoFlaglessCommand checks that asking a command without flags
// of its own for help does not run it: `souk outbox -h` must not open the
// Redis of REDIS_URL.
func TestHelpRunsNoFlaglessCommand(t *testing.T) {
	for _, name := range []string{"version", "handoff", "outbox"} {
		t.Run(name, func(t *testing.T) {
			var read []string
			var out strings.Builder
			env := &Env{Stdout: &out, Stderr: &out, Getenv: func(k string) string { read = append(read, k); return "" }}
			if code := Run(context.Background(), env, []string{name, "-h"}); code != 0 || !strings.Contains(out.String(), "usage: souk "+name) {
				t.Fatalf("exit %d, output:\n%s", code, out.String())
			}
			if len(read) > 0 {
				t.Fatalf("help ran the command: it read %v", read)
			}
		})
	}
}
