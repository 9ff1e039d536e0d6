package souk_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/souk-commerce/souk/bot/flowtest"
	"github.com/souk-commerce/souk/handlers"
)

// readmeBlock returns the body of the first fenced block of this language
// after the heading in README.md, and the README line it starts on.
func readmeBlock(t *testing.T, heading, lang string) (string, int) {
	t.Helper()
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	start := -1
	for i, l := range lines {
		if start < 0 && l == heading {
			start = i
		}
		if start >= 0 && l == "```"+lang {
			for j := i + 1; j < len(lines); j++ {
				if lines[j] == "```" {
					return strings.Join(lines[i+1:j], "\n") + "\n", i + 2
				}
			}
		}
	}
	t.Fatalf("README.md has no ```%s block after %q", lang, heading)
	return "", 0
}

// TestReadmeConversationTests runs the `tests:` example of README.md's
// "Conversation tests in YAML" against examples/pizzeria, so the example
// the README shows is one that passes.
func TestReadmeConversationTests(t *testing.T) {
	block, line := readmeBlock(t, "### Conversation tests in YAML", "yaml")
	// A copy of the pizzeria, so the README's tests sit beside the flow as
	// flow.test.yaml and its webhook fixtures resolve as they would there.
	dir := t.TempDir()
	src := filepath.Join("examples", "pizzeria")
	for _, f := range []string{"flow.yaml", "products.csv", "fixtures/meta-hi.json", "fixtures/kaleyra-tap-pizzas.json", "fixtures/meta-status.json"} {
		data, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	testFile := filepath.Join(dir, "flow.test.yaml")
	if err := os.WriteFile(testFile, []byte(block), 0o644); err != nil {
		t.Fatal(err)
	}
	reg := handlers.NewRegistry()
	handlers.RegisterBuiltins(reg)
	var out bytes.Buffer
	sum := flowtest.Run([]string{testFile}, flowtest.Options{Out: &out, Handlers: reg})
	if !sum.OK() || sum.Passed == 0 {
		t.Fatalf("the README's tests: example (README.md line %d; line numbers below are within the block) against examples/pizzeria:\n%s",
			line, out.String())
	}
}

// TestReadmeGoTestKit checks that the Go example under README.md's "The Go
// test kit" is TestCheckout (readme_bottest_test.go) as written, so the
// snippet is compiled and run.
func TestReadmeGoTestKit(t *testing.T) {
	block, line := readmeBlock(t, "### The Go test kit: `bot/bottest`", "go")
	src, err := os.ReadFile("readme_bottest_test.go")
	if err != nil {
		t.Fatal(err)
	}
	start := bytes.Index(src, []byte("func TestCheckout("))
	if start < 0 {
		t.Fatal("readme_bottest_test.go has no func TestCheckout")
	}
	end := bytes.Index(src[start:], []byte("\n}\n"))
	if end < 0 {
		t.Fatal("readme_bottest_test.go: func TestCheckout has no end")
	}
	if want := string(src[start : start+end+3]); block != want {
		t.Errorf("README.md line %d: the Go test kit example differs from TestCheckout in readme_bottest_test.go; copy it:\n%s", line, want)
	}
}

// readmeSection returns README.md from the line heading up to the next
// "## " heading.
func readmeSection(t *testing.T, heading string) string {
	t.Helper()
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(data), "\n"+heading+"\n")
	if !ok {
		t.Fatalf("README.md has no %q", heading)
	}
	if i := strings.Index(after, "\n## "); i >= 0 {
		after = after[:i]
	}
	return after
}

// goFiles calls f with the path (slash-separated, relative to the module
// root) of every .go file outside testdata and hidden directories.
func goFiles(t *testing.T, f func(path string)) {
	t.Helper()
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".go") {
			f(filepath.ToSlash(p))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestReadmeArchitectureListsEveryPackage: each package directory has its
// own line in README.md's Architecture block (examples/ covers the
// examples, souk.go the root package).
func TestReadmeArchitectureListsEveryPackage(t *testing.T) {
	block := readmeSection(t, "## Architecture")
	var listed []string
	for _, l := range strings.Split(block, "\n") {
		if f := strings.Fields(l); len(f) > 1 {
			listed = append(listed, f[0])
		}
	}
	seen := map[string]bool{}
	goFiles(t, func(p string) {
		dir := filepath.ToSlash(filepath.Dir(p))
		switch {
		case dir == ".":
			dir = "souk.go"
		case strings.HasPrefix(dir, "examples/"):
			dir = "examples/"
		}
		if !seen[dir] && !slices.Contains(listed, dir) {
			t.Errorf("README.md's Architecture block has no line for %s", dir)
		}
		seen[dir] = true
	})
}

// TestReadmeConfigurationListsEveryVariable: every environment variable
// the code or its tests read is in README.md's Configuration table.
func TestReadmeConfigurationListsEveryVariable(t *testing.T) {
	table := readmeSection(t, "## Configuration")
	name := regexp.MustCompile(`"((?:SOUK|SOUKBENCH|KALEYRA|WEBHOOK|REDIS)_[A-Z0-9_]+)"`)
	seen := map[string]bool{}
	goFiles(t, func(p string) {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range name.FindAllSubmatch(src, -1) {
			v := string(m[1])
			if !seen[v] && !strings.Contains(table, "| `"+v+"`") && !strings.Contains(table, ", `"+v+"`") {
				t.Errorf("%s reads %s, which README.md's Configuration table does not list", p, v)
			}
			seen[v] = true
		}
	})
	if len(seen) < 20 {
		t.Errorf("found only %d variables in the code: %v", len(seen), seen)
	}
}
