package flowtest

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/handlers"
)

// TestExamples runs the conversation tests of every flow in examples/, as
// `souk test` would, so `make test` proves the shipped shops work. A flow
// that needs Go handlers beyond the built-in ones is skipped: its own
// example package tests it.
func TestExamples(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "..", "examples", "*", "flow*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	reg := handlers.NewRegistry()
	handlers.RegisterBuiltins(reg)
	ran := 0
	for _, p := range paths {
		if _, isTest := flows.FlowOfTestFile(p); isTest {
			continue
		}
		t.Run(filepath.Base(filepath.Dir(p))+"/"+filepath.Base(p), func(t *testing.T) {
			if _, diags := flows.Load(p, flows.Options{HasHandler: reg.Has}); hasCode(diags, "unknown-handler") {
				t.Skipf("%s runs handlers that are not built in", p)
			}
			var out bytes.Buffer
			sum := Run([]string{p}, Options{Out: &out, Handlers: reg})
			if !sum.OK() {
				t.Errorf("souk test %s:\n%s", p, out.String())
			}
			if strings.Contains(out.String(), "no tests") {
				t.Errorf("%s has no conversation tests; every example must carry some", p)
			}
			ran += sum.Passed
		})
	}
	if ran == 0 {
		t.Errorf("no example tests ran (looked at %v)", paths)
	}
}

func hasCode(ds flows.Diagnostics, code string) bool {
	for _, d := range ds {
		if d.Code == code {
			return true
		}
	}
	return false
}
