package flows_test

import (
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/souk-commerce/souk/bot/bottest"
	"github.com/souk-commerce/souk/flows"
)

var update = flag.Bool("update", false, "rewrite golden files")

// registered is the handler set the broken-flow table is checked against.
func registered(name string) bool {
	return name == "order_summary" || name == "confirm_order" || name == "opt_out"
}

// TestInvalidFlows loads every flow in testdata/invalid and compares its
// diagnostics with the golden FILE:LINE:COL: message lines beside it.
func TestInvalidFlows(t *testing.T) {
	files, err := filepath.Glob("testdata/invalid/*.yaml")
	if err != nil || len(files) < 30 {
		t.Fatalf("want at least 30 broken flows in testdata/invalid, found %d (%v)", len(files), err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".yaml")
		t.Run(name, func(t *testing.T) {
			_, diags := flows.Load(file, flows.Options{HasHandler: registered})
			if len(diags) == 0 {
				t.Fatal("no diagnostics for a broken flow")
			}
			checkGolden(t, strings.TrimSuffix(file, ".yaml")+".golden", diags.String()+"\n")
			if !namesCode(diags, name) {
				t.Errorf("no diagnostic's code starts the file's name %q; got codes %v", name, codes(diags))
			}
		})
	}
}

// namesCode reports whether name is a diagnostic's code, alone or followed
// by "-detail", so that each file is known to test the check it is named for.
func namesCode(ds flows.Diagnostics, name string) bool {
	for _, d := range ds {
		if d.Code == name || strings.HasPrefix(name, d.Code+"-") {
			return true
		}
	}
	return false
}

func codes(ds flows.Diagnostics) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Code
	}
	return out
}

func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	bottest.Golden(t, path, []byte(got), *update)
}

// TestValidFlows requires every flow in testdata/valid and every
// examples/**/flow*.yaml to load with no diagnostic at all, warnings
// included.
func TestValidFlows(t *testing.T) {
	files, _ := filepath.Glob("testdata/valid/*.yaml")
	err := filepath.WalkDir("../examples", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasPrefix(d.Name(), "flow") && strings.HasSuffix(d.Name(), ".yaml") && !strings.HasSuffix(d.Name(), ".test.yaml") {
			files = append(files, path)
		}
		return err
	})
	if err != nil || len(files) < 2 {
		t.Fatalf("walking examples: %v (found %v)", err, files)
	}
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			opts := flows.Options{HasHandler: registered, Strict: true}
			if _, err := os.Stat(filepath.Join(filepath.Dir(file), "main.go")); err == nil {
				opts.HasHandler = nil // its own binary registers its handlers; its tests check them
			}
			f, diags := flows.Load(file, opts)
			if len(diags) > 0 {
				t.Fatalf("want no diagnostics, got:\n%s", diags)
			}
			if len(f.Events()) == 0 {
				t.Error("flow compiled to no events")
			}
		})
	}
}
