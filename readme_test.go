package souk_test

import (
	"bytes"
	"os"
	"path/filepath"
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
	end := bytes.Index(src[start:], []byte("\n}\n"))
	if start < 0 || end < 0 {
		t.Fatal("readme_bottest_test.go has no func TestCheckout")
	}
	if want := string(src[start : start+end+3]); block != want {
		t.Errorf("README.md line %d: the Go test kit example differs from TestCheckout in readme_bottest_test.go; copy it:\n%s", line, want)
	}
}
