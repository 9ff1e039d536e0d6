package flowtest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/handlers"
)

// TestExamples runs the conversation tests of every flow in examples/, as
// `souk test` would, so `make test` proves the shipped shops work. A flow
// that needs Go handlers beyond the built-in ones is skipped here, and its
// own example package must run its tests through flowtest.Run with its
// handlers (examples/shop-with-handlers/main_test.go does).
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
				if !runsFlowtest(t, filepath.Dir(p)) {
					t.Fatalf("%s runs handlers that are not built in, and no _test.go beside it calls flowtest.Run", p)
				}
				t.Skipf("%s runs handlers that are not built in; its own package's tests run it", p)
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

// runsFlowtest reports whether a _test.go file in dir calls flowtest.Run.
func runsFlowtest(t *testing.T, dir string) bool {
	files, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if src, err := os.ReadFile(f); err == nil && bytes.Contains(src, []byte("flowtest.Run(")) {
			return true
		}
	}
	return false
}

func hasCode(ds flows.Diagnostics, code string) bool {
	for _, d := range ds {
		if d.Code == code {
			return true
		}
	}
	return false
}
