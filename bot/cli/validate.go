package cli

import (
	"context"
	"fmt"

	"github.com/souk-commerce/souk/bot/flowtest"
	"github.com/souk-commerce/souk/flows"
)

func init() {
	register("validate", "validate [--strict] FILE...                  check flows and *.test.yaml files; exit 1 on any error", runValidate)
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

func flowOptions(env *Env, strict bool) flows.Options {
	return flows.Options{HasHandler: env.Handlers.Has, Strict: strict}
}

// summary counts what a flow holds, for one line of output.
func summary(f *flows.Flow) string {
	var transitions, messages int
	for _, name := range f.StateNames {
		s := f.States[name]
		transitions += len(s.On)
		for _, t := range []flows.Target{s.Order, s.Text, s.Else} {
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
