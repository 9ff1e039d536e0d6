package cli

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/souk-commerce/souk/flows"
)

func init() {
	register("new", "new DIR [--name NAME]                       start a shop: flow.yaml, products.csv, flow.test.yaml, flow.schema.json", runNew)
}

// scaffold holds the starter shop `souk new` writes, besides the flow
// format's schema: '__NAME__' in a file stands for the flow's name as a
// YAML scalar, __NAME__ for the name as it is.
//
//go:embed scaffold/*.tmpl
var scaffold embed.FS

// maxFlowName is the longest name `souk new` takes: the starter's menu
// shows it as a list header, which WhatsApp caps at 60 characters.
const maxFlowName = 60

func runNew(_ context.Context, env *Env, args []string) int {
	fset := newFlags(env, "new")
	name := fset.String("name", "", "the flow's name, also the menu's header (default: DIR's last element)")
	rest, err := parseInterspersed(fset, args)
	if err != nil {
		return 2
	}
	if len(rest) != 1 || rest[0] == "" {
		fmt.Fprintln(env.Stderr, "usage: souk new DIR [--name NAME]")
		return 2
	}
	dir := rest[0]
	n, from, hint := strings.TrimSpace(*name), "--name", ""
	if *name == "" {
		n, from, hint = strings.TrimSpace(dirName(dir)), "the directory's name", "; give the flow a name with --name"
	}
	if err := checkFlowName(n); err != nil {
		fmt.Fprintf(env.Stderr, "souk new: %s %q %v%s\n", from, n, err, hint)
		return 2
	}
	files, err := writeScaffold(dir, n, writeNewFile)
	if err != nil {
		fmt.Fprintf(env.Stderr, "souk new: %v\n", err)
		return 1
	}
	fmt.Fprintf(env.Stdout, "wrote %s\n", strings.Join(files, ", "))
	fmt.Fprintf(env.Stdout, "next, from %s:\n", dir)
	fmt.Fprintln(env.Stdout, "  souk validate flow.yaml flow.test.yaml products.csv   check them")
	fmt.Fprintln(env.Stdout, "  souk test flow.yaml                                  run the conversation tests")
	fmt.Fprintln(env.Stdout, "  souk serve --flow flow.yaml --watch                  then open http://localhost:8080/simulator")
	return 0
}

// dirName is the last element of dir, made absolute so that "." names
// the directory it stands for.
func dirName(dir string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	return filepath.Base(dir)
}

// checkFlowName refuses a name the starter flow cannot hold as written:
// it is the flow's name, a list header and a line of a comment, and both
// the name and the header are read as templates.
func checkFlowName(name string) error {
	switch {
	case name == "":
		return errors.New("is blank: a flow needs a name")
	case !utf8.ValidString(name):
		return errors.New("is not UTF-8 text")
	case utf8.RuneCountInString(name) > maxFlowName:
		return fmt.Errorf("is longer than %d characters (it heads the menu, and WhatsApp caps a list header at %d)", maxFlowName, maxFlowName)
	case strings.ContainsFunc(name, breaksLine):
		return errors.New("holds a control character or a line break")
	case strings.Contains(name, "{{"):
		return errors.New("holds {{, which starts a template action")
	}
	return nil
}

// breaksLine reports a character YAML does not keep as it is in a
// one-line scalar: a control character, a line or paragraph separator, or
// a byte order mark.
func breaksLine(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\ufeff'
}

// writeScaffold writes the starter shop into dir with write, creating
// dir if need be, and returns the paths written. It overwrites nothing:
// when one of the files exists it writes none, and when a write fails it
// removes what it wrote and the directories it made.
func writeScaffold(dir, name string, write func(path, content string) error) ([]string, error) {
	contents, err := scaffoldFiles(name)
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, file := range slices.Sorted(maps.Keys(contents)) {
		p := filepath.Join(dir, file)
		if _, err := os.Lstat(p); err == nil {
			return nil, fmt.Errorf("%s already exists; souk new writes only new files (pick another directory)", p)
		}
		paths = append(paths, p)
	}
	made := missingDirs(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	for i, p := range paths {
		if err := write(p, contents[filepath.Base(p)]); err != nil {
			for _, written := range paths[:i+1] {
				os.Remove(written)
			}
			for _, d := range made {
				os.Remove(d)
			}
			return nil, err
		}
	}
	return paths, nil
}

// missingDirs are the directories MkdirAll(dir) would make, deepest first.
func missingDirs(dir string) []string {
	var missing []string
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil || filepath.Dir(d) == d {
			return missing
		}
		missing = append(missing, d)
	}
}

// scaffoldFiles is the content of each file of the starter shop, by name.
func scaffoldFiles(name string) (map[string]string, error) {
	tmpls, err := fs.Glob(scaffold, "scaffold/*.tmpl")
	if err != nil {
		return nil, err
	}
	files := map[string]string{"flow.schema.json": string(flows.Schema())}
	names := strings.NewReplacer("'__NAME__'", yamlScalar(name), "__NAME__", name)
	for _, t := range tmpls {
		data, err := scaffold.ReadFile(t)
		if err != nil {
			return nil, err
		}
		files[strings.TrimSuffix(filepath.Base(t), ".tmpl")] = names.Replace(string(data))
	}
	return files, nil
}

// yamlScalar is s as a single-quoted YAML scalar, which holds any text
// checkFlowName lets through as it is written.
func yamlScalar(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// writeNewFile writes a file that must not exist yet; a write that fails
// leaves no file.
func writeNewFile(path, content string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.WriteString(content)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return err
}
