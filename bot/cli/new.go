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

	"gopkg.in/yaml.v3"

	"github.com/souk-commerce/souk/flows"
)

func init() {
	register("new", "new DIR [--name NAME]                       start a shop: flow.yaml, products.csv, flow.test.yaml, flow.schema.json", runNew)
}

// scaffold holds the starter shop `souk new` writes, besides the flow
// format's schema; __NAME__ in a file stands for the flow's name.
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
	if len(rest) != 1 {
		fmt.Fprintln(env.Stderr, "usage: souk new DIR [--name NAME]")
		return 2
	}
	dir := rest[0]
	if *name == "" {
		*name = dirName(dir)
	}
	if err := checkFlowName(*name); err != nil {
		fmt.Fprintf(env.Stderr, "souk new: --name %q: %v\n", *name, err)
		return 2
	}
	files, err := writeScaffold(dir, *name)
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

func checkFlowName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return errors.New("a flow needs a name")
	case utf8.RuneCountInString(name) > maxFlowName:
		return fmt.Errorf("longer than %d characters (it heads the menu, and WhatsApp caps a list header at %d)", maxFlowName, maxFlowName)
	case strings.ContainsFunc(name, unicode.IsControl):
		return errors.New("holds a control character (a new line or a tab)")
	}
	return nil
}

// writeScaffold writes the starter shop into dir, creating it if need be,
// and returns the paths written. It overwrites nothing: when one of the
// files exists it writes none.
func writeScaffold(dir, name string) ([]string, error) {
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
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	for i, p := range paths {
		if err := writeNewFile(p, contents[filepath.Base(p)]); err != nil {
			for _, written := range paths[:i] {
				os.Remove(written)
			}
			return nil, err
		}
	}
	return paths, nil
}

// scaffoldFiles is the content of each file of the starter shop, by name.
func scaffoldFiles(name string) (map[string]string, error) {
	tmpls, err := fs.Glob(scaffold, "scaffold/*.tmpl")
	if err != nil {
		return nil, err
	}
	files := map[string]string{"flow.schema.json": string(flows.Schema())}
	quoted := yamlScalar(name)
	for _, t := range tmpls {
		data, err := scaffold.ReadFile(t)
		if err != nil {
			return nil, err
		}
		files[strings.TrimSuffix(filepath.Base(t), ".tmpl")] = strings.ReplaceAll(string(data), "__NAME__", quoted)
	}
	return files, nil
}

// yamlScalar is s as a YAML scalar that reads back as s, quoted only when
// it must be.
func yamlScalar(s string) string {
	b, err := yaml.Marshal(s)
	if err != nil {
		return fmt.Sprintf("%q", s)
	}
	return strings.TrimSuffix(string(b), "\n")
}

// writeNewFile writes a file that must not exist yet.
func writeNewFile(path, content string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.WriteString(content)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
