package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestValidateAndGraphCommands(t *testing.T) {
	const pizzeria = "../../examples/pizzeria/flow.yaml"
	golden := func(path string) string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // a part of stdout, or all of it when exact
		exact  bool
		stderr string
	}{
		{name: "valid flow", args: []string{"validate", pizzeria}, code: 0,
			stdout: "../../examples/pizzeria/flow.yaml: ok: flow pizzeria, 8 states, 21 transitions, 8 messages\n", exact: true},
		{name: "every problem at once", args: []string{"validate", "../../flows/testdata/invalid/list-too-many-sections.yaml"}, code: 1,
			stdout: golden("../../flows/testdata/invalid/list-too-many-sections.golden"), exact: true},
		{name: "a warning passes", args: []string{"validate", "../../flows/testdata/invalid/unreachable-state.yaml"}, code: 0,
			stdout: "warning: state orphan cannot be reached from start"},
		{name: "strict fails on a warning", args: []string{"validate", "--strict", "../../flows/testdata/invalid/unreachable-state.yaml"}, code: 1,
			stdout: "7:3: state orphan cannot be reached from start"},
		{name: "unregistered handler", args: []string{"validate", "../../flows/testdata/invalid/unknown-handler.yaml"}, code: 1,
			stdout: `handler "confirm_ordr" is not registered in this binary`},
		{name: "graph mermaid", args: []string{"graph", pizzeria}, code: 0,
			stdout: golden("../../flows/testdata/graph/pizzeria.mermaid"), exact: true},
		{name: "graph dot", args: []string{"graph", pizzeria, "--format", "dot"}, code: 0,
			stdout: golden("../../flows/testdata/graph/pizzeria.dot"), exact: true},
		{name: "graph unknown format", args: []string{"graph", "--format", "svg", pizzeria}, code: 2, stderr: `unknown graph format "svg"`},
		{name: "graph of a broken flow", args: []string{"graph", "../../flows/testdata/invalid/unknown-state-on.yaml"}, code: 1, stderr: "the flow has errors"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := run(t, "", tc.args...)
			out = strings.ReplaceAll(out, "../../flows/", "") // golden diagnostics name files from flows/
			if code != tc.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, out, errOut)
			}
			if (tc.exact && out != tc.stdout) || !strings.Contains(out, tc.stdout) || !strings.Contains(errOut, tc.stderr) {
				t.Errorf("stdout:\n%s\nwant: %s\nstderr:\n%s\nwant: %s", out, tc.stdout, errOut, tc.stderr)
			}
		})
	}
}

// TestValidateProductsFiles checks that `souk validate` checks the
// products files beside a flow as products files, YAML or CSV, rather than
// failing them as flows, while a flow written as a list is still a flow.
func TestValidateProductsFiles(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{
		"products.yaml": "- {id: br-rye, name: Dark rye, price: 4.80, currency: EUR}\n",
		"broken.csv":    "id,name,price,currency\nbr-rye,Dark rye,five,EUR\n",
		"listflow.yaml": "- flow: f\n  start: a\n",
		"retail.yaml":   "- {retailer_id: br-rye, name: Dark rye, price: 4.80, currency: EUR}\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errOut := run(t, "", "validate", filepath.Join(dir, "products.yaml"), filepath.Join(dir, "broken.csv"),
		filepath.Join(dir, "listflow.yaml"), filepath.Join(dir, "retail.yaml"))
	if code != 1 || !strings.Contains(out, "products.yaml: ok: products, 1 product(s)") || !strings.Contains(out, "broken.csv:2:") ||
		!strings.Contains(out, "retail.yaml: ok: products") ||
		strings.Count(out, "flow must be a mapping") != 1 || !strings.Contains(out, "listflow.yaml:1:1: flow must be a mapping") {
		t.Errorf("exit %d, want 1 for the broken file alone\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}
