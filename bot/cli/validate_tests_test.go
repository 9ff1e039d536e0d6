package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestValidateTestFiles runs `souk validate` on <flow>.test.yaml files: they
// are checked as test files (shape, states, fixtures), not as flows.
func TestValidateTestFiles(t *testing.T) {
	const flow = `flow: f
start: a
states:
  a:
    send: [{text: hi}]
    on: {go: b}
  b:
    send: [{text: bye}]
`
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("good.yaml", flow)
	write("fixtures/hi.json", `{}`)
	good := write("good.test.yaml", "tests:\n  - name: hi\n    steps:\n      - text: hi\n        state: a\n      - webhook: fixtures/hi.json\n")
	write("bad.yaml", flow)
	bad := write("bad.test.yaml", `tests:
  - name: one
    stepz: []
  - name: two
    steps:
      - text: hi
        expect: [lisst]
      - tap: go
        state: c
      - webhook: fixtures/nope.json
`)
	lonely := write("lonely.test.yaml", "tests:\n  - name: x\n    steps: [{text: hi}]\n")
	write("broken.yaml", "flow: b\nstart: nowhere\nstates:\n  a: {send: [{text: hi}]}\n")
	broken := write("broken.test.yaml", "tests:\n  - name: x\n    steps: [{text: hi}]\n")

	tests := []struct {
		name string
		args []string
		code int
		want []string // each must be in stdout
	}{
		{name: "a good test file", args: []string{good}, code: 0, want: []string{good + ": ok: 1 test(s) of flow f"}},
		{name: "the pizzeria's tests and flow together", args: []string{"../../examples/pizzeria/flow.test.yaml", "../../examples/pizzeria/flow.yaml"}, code: 0,
			want: []string{"flow.test.yaml: ok: 18 test(s) of flow pizzeria", "flow.yaml: ok: flow pizzeria"}},
		{name: "every problem with its position", args: []string{bad}, code: 1, want: []string{
			bad + ":3:5: ", "stepz",
			bad + ":7:18: ", "lisst",
			bad + ":9:16: ", `no state "c"`,
			bad + ":10:9: ", "cannot read webhook fixture fixtures/nope.json",
		}},
		{name: "no flow beside it", args: []string{lonely}, code: 1, want: []string{lonely + ":1:1: no flow " + filepath.Join(dir, "lonely.yaml")}},
		{name: "its flow has errors", args: []string{broken}, code: 1, want: []string{broken + ":1:1: the flow it tests", "has errors"}},
		{name: "one bad file fails the run, the good one is still reported", args: []string{bad, good}, code: 1, want: []string{good + ": ok"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, "", append([]string{"validate"}, tt.args...)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
		})
	}
}
