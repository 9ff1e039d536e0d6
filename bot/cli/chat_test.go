package cli_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/souk-commerce/souk/bot/bottest"
	"github.com/souk-commerce/souk/bot/cli"
	"github.com/souk-commerce/souk/handlers"
)

var update = flag.Bool("update", false, "rewrite golden files")

func builtins() *handlers.Registry {
	reg := handlers.NewRegistry()
	handlers.RegisterBuiltins(reg)
	return reg
}

func noEnv(string) string { return "" }

// run runs the CLI with stdin and returns its exit code, stdout and stderr.
func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := &cli.Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, Getenv: noEnv, Handlers: builtins()}
	code := cli.Run(context.Background(), env, args)
	return code, out.String(), errOut.String()
}

func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	bottest.Golden(t, path, []byte(got), *update)
}

// TestChatScript drives `souk chat` on the pizzeria with a scripted stdin
// and compares the transcript with a golden file.
func TestChatScript(t *testing.T) {
	script, err := os.ReadFile("testdata/chat/pizzeria.script")
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, string(script), "chat", "../../examples/pizzeria/flow.yaml")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	if errOut != "" {
		t.Errorf("unexpected stderr:\n%s", errOut)
	}
	checkGolden(t, "testdata/chat/pizzeria.golden", out)
}

func TestChatArguments(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"no file", []string{"chat"}, 2, "usage: souk chat"},
		{"bad phone", []string{"chat", "--phone", "12ab", "../../examples/pizzeria/flow.yaml"}, 2, "usage: souk chat"},
		{"invalid flow", []string{"chat", "../../flows/testdata/invalid/unknown-state-on.yaml"}, 1, `state "mneu" is not defined`},
		{"missing file", []string{"chat", "nowhere.yaml"}, 1, "cannot read flow"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := run(t, "", tc.args...)
			if code != tc.code || !strings.Contains(errOut, tc.err) {
				t.Errorf("exit %d (want %d), stderr:\n%s\nwant it to contain %q", code, tc.code, errOut, tc.err)
			}
		})
	}
}

func TestChatEndsAtEOF(t *testing.T) {
	code, out, _ := run(t, "hi", "chat", "../../examples/pizzeria/flow.yaml")
	if code != 0 || !strings.Contains(out, "[pizzas] Pizzas") || !strings.HasSuffix(out, "you> \n") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}
