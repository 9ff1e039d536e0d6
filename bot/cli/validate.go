package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/souk-commerce/souk/bot/catalog"
	"github.com/souk-commerce/souk/bot/flowtest"
	"github.com/souk-commerce/souk/flows"
)

func init() {
	register("validate", "validate [--strict] FILE...                  check flows, *.test.yaml and products files; exit 1 on any error", runValidate)
}

func runValidate(_ context.Context, env *Env, args []string) int {
	fs := newFlags(env, "validate")
	strict := fs.Bool("strict", false, "treat warnings as errors")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return 2
	}
	if len(files) == 0 {
		fmt.Fprintln(env.Stderr, "usage: souk validate [--strict] FILE...")
		return 2
	}
	code := 0
	for _, file := range files {
		if _, isTest := flows.FlowOfTestFile(file); isTest {
			if !validateTests(env, file) {
				code = 1
			}
			continue
		}
		if isProductsFile(file) {
			if !validateProducts(env, file) {
				code = 1
			}
			continue
		}
		f, diags := flows.Load(file, flowOptions(env, *strict))
		if f != nil {
			diags = append(diags, flows.CheckFixtures(f.Tests)...)
			diags.Sort()
		}
		for _, d := range diags {
			fmt.Fprintln(env.Stdout, d)
		}
		if diags.HasErrors() {
			code = 1
			continue
		}
		fmt.Fprintf(env.Stdout, "%s: ok: flow %s, %s\n", file, f.Name, summary(f))
	}
	return code
}

// validateTests checks a <flow>.test.yaml file (a `tests:` list for the
// flow beside it) and reports whether it has no errors.
func validateTests(env *Env, file string) bool {
	c, diags := flowtest.Validate(file)
	for _, d := range diags {
		fmt.Fprintln(env.Stdout, d)
	}
	if diags.HasErrors() {
		return false
	}
	fmt.Fprintf(env.Stdout, "%s: ok: %d test(s) of flow %s\n", file, len(c.Tests), c.Flow.Name)
	return true
}

// isProductsFile tells a products file from a flow: a .csv file, or a
// YAML file whose document is a list (a flow is a mapping) that does not
// start with what a flow holds, so that a flow written as a list is still
// refused as a flow.
func isProductsFile(file string) bool {
	switch strings.ToLower(filepath.Ext(file)) {
	case ".csv":
		return true
	case ".yaml", ".yml":
		data, err := os.ReadFile(file)
		if err != nil {
			return false // the flow loader reports it
		}
		var doc yaml.Node
		if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.SequenceNode {
			return false
		}
		items := doc.Content[0].Content
		return len(items) == 0 || !looksLikeFlow(items[0])
	}
	return false
}

// looksLikeFlow reports a mapping with a flow's own keys.
func looksLikeFlow(n *yaml.Node) bool {
	for i := 0; n.Kind == yaml.MappingNode && i+1 < len(n.Content); i += 2 {
		switch n.Content[i].Value {
		case "flow", "start", "states":
			return true
		}
	}
	return false
}

// validateProducts checks a products file (as `products:` names one) and
// reports whether it has no problems.
func validateProducts(env *Env, file string) bool {
	cat, problems := catalog.Load(file)
	for _, p := range problems {
		fmt.Fprintln(env.Stdout, p)
	}
	if len(problems) > 0 {
		return false
	}
	fmt.Fprintf(env.Stdout, "%s: ok: products, %d product(s)\n", file, cat.Len())
	return true
}

func flowOptions(env *Env, strict bool) flows.Options {
	return flows.Options{HasHandler: env.Handlers.Has, Strict: strict}
}

// summary counts what a flow holds, for one line of output.
func summary(f *flows.Flow) string {
	var transitions, messages int
	for _, name := range f.StateNames {
		s := f.States[name]
		transitions += len(s.On)
		for _, t := range []flows.Target{s.Order, s.Text, s.Else, s.Idle.To} {
			if t.State != "" {
				transitions++
			}
		}
		messages += len(s.Send)
	}
	transitions += len(f.Keywords)
	if f.Order.State != "" {
		transitions++
	}
	return fmt.Sprintf("%d states, %d transitions, %d messages", len(f.StateNames), transitions, messages)
}
