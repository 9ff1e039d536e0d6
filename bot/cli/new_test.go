package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/souk-commerce/souk/bot/cli"
	"github.com/souk-commerce/souk/flows"
)

// runCLI runs one souk command and returns its exit code and output.
func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	env := &cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: noEnv, Handlers: builtins()}
	code = cli.Run(context.Background(), env, args)
	return code, out.String(), errOut.String()
}

// TestNewWritesAShopThatPasses checks that the starter shop validates
// (strictly), that its conversation tests pass, and that its name, taken
// from the directory or given, reads back as written.
func TestNewWritesAShopThatPasses(t *testing.T) {
	for _, tt := range []struct{ dir, name, want string }{
		{dir: "corner-shop", want: "corner-shop"},
		{dir: " spaced ", want: "spaced"},
		{dir: "shop", name: `Luigi's: "Pizza" #1`, want: `Luigi's: "Pizza" #1`},
		{dir: "shop", name: "  Café 商店 🍕 👨‍👩‍👧 ", want: "Café 商店 🍕 👨‍👩‍👧"},
		{dir: "shop", name: "yes", want: "yes"},
		{dir: "shop", name: "- & * ! % @ ` | > [ { ~ null 123", want: "- & * ! % @ ` | > [ { ~ null 123"},
		{dir: "shop", name: strings.Repeat("é", 60), want: strings.Repeat("é", 60)},
	} {
		t.Run(tt.want, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), tt.dir)
			args := []string{"new", dir}
			if tt.name != "" {
				args = append(args, "--name", tt.name)
			}
			if code, out, errOut := runCLI(args...); code != 0 || !strings.Contains(out, "souk serve --flow flow.yaml --watch") {
				t.Fatalf("souk new = %d\n%s%s", code, out, errOut)
			}
			flow, tests, products := filepath.Join(dir, "flow.yaml"), filepath.Join(dir, "flow.test.yaml"), filepath.Join(dir, "products.csv")
			if code, out, errOut := runCLI("validate", "--strict", flow, tests, products); code != 0 {
				t.Errorf("souk validate --strict = %d\n%s%s", code, out, errOut)
			}
			if code, out, errOut := runCLI("test", flow); code != 0 || !strings.Contains(out, "6 passed, 0 failed") {
				t.Errorf("souk test = %d\n%s%s", code, out, errOut)
			}
			if schema, _ := os.ReadFile(filepath.Join(dir, "flow.schema.json")); !bytes.Equal(schema, flows.Schema()) {
				t.Error("flow.schema.json is not the flow format's schema")
			}
			f, diags := flows.Load(flow, flows.Options{HasHandler: builtins().Has})
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			if f.Name != tt.want {
				t.Errorf("flow name %q, want %q", f.Name, tt.want)
			}
			if data, _ := os.ReadFile(flow); !strings.Contains(string(data), "# "+tt.want+": a starter shop") {
				t.Errorf("the top comment does not name the flow as written:\n%.300s", data)
			}
		})
	}
}

// TestNewOverwritesNothing checks that souk new refuses a directory that
// already holds one of its files, and leaves every file as it was.
func TestNewOverwritesNothing(t *testing.T) {
	dir := t.TempDir()
	mine := filepath.Join(dir, "products.csv")
	if err := os.WriteFile(mine, []byte("my products\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI("new", dir)
	if code != 1 || !strings.Contains(errOut, mine+" already exists") {
		t.Errorf("souk new into a directory with products.csv = %d %q, want 1 naming the file", code, errOut)
	}
	entries, _ := os.ReadDir(dir)
	if b, _ := os.ReadFile(mine); string(b) != "my products\n" || len(entries) != 1 {
		t.Errorf("the directory now holds %d entries, products.csv %q; want it untouched", len(entries), b)
	}
}

func TestNewRefusesBadArguments(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{name: "no directory", args: []string{"new"}, want: "usage: souk new DIR"},
		{name: "two directories", args: []string{"new", dir, dir}, want: "usage: souk new DIR"},
		{name: "an empty directory", args: []string{"new", ""}, want: "usage: souk new DIR"},
		{name: "a name too long for the menu header", args: []string{"new", dir, "--name", strings.Repeat("x", 61)}, want: "longer than 60 characters"},
		{name: "a directory name too long", args: []string{"new", filepath.Join(dir, strings.Repeat("x", 61))},
			want: `the directory's name "` + strings.Repeat("x", 61) + `" is longer than 60 characters (it heads the menu, and WhatsApp caps a list header at 60); give the flow a name with --name`},
		{name: "a name on two lines", args: []string{"new", dir, "--name", "a\nb"}, want: "control character or a line break"},
		{name: "a line separator", args: []string{"new", dir, "--name", "a\u2028b"}, want: "line break"},
		{name: "a byte order mark", args: []string{"new", dir, "--name", "\ufeffshop"}, want: "line break"},
		{name: "a template action", args: []string{"new", dir, "--name", "x{{y"}, want: "holds {{"},
		{name: "a blank name", args: []string{"new", dir, "--name", " "}, want: "a flow needs a name"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if code, _, errOut := runCLI(tt.args...); code != 2 || !strings.Contains(errOut, tt.want) {
				t.Errorf("souk %q = %d %q, want 2 with %q", tt.args, code, errOut, tt.want)
			}
		})
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a refused souk new wrote %d files", len(entries))
	}
}
