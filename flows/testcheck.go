package flows

import (
	"fmt"
	"os"
	"path/filepath"
)

// CheckTests checks conversation tests against the flow they test, without
// running them: every state they name is one of f's. A flow's own tests
// are checked so when it loads.
func CheckTests(f *Flow, tests []Test) Diagnostics {
	var ds Diagnostics
	state := func(t Test, tg Target) {
		if tg.State != "" && f.States[tg.State] == nil {
			ds = append(ds, Diagnostic{File: t.File, Pos: tg.Pos, Code: "unknown-state",
				Message: fmt.Sprintf("test %q: flow %s has no state %q", t.Name, f.Name, tg.State)})
		}
	}
	for _, t := range tests {
		state(t, t.StartState)
		for _, s := range t.Steps {
			state(t, s.State)
		}
	}
	return ds
}

// CheckFixtures reports the webhook fixtures tests post that cannot be
// read (relative to each test's file). Loading a flow does not check
// them, so that a server deployed without its tests' fixtures starts;
// `souk validate` and `souk test` do.
func CheckFixtures(tests []Test) Diagnostics {
	var ds Diagnostics
	for _, t := range tests {
		for _, s := range t.Steps {
			if s.Input != "webhook" {
				continue
			}
			if _, err := os.ReadFile(filepath.Join(filepath.Dir(t.File), s.Value)); err != nil {
				ds = append(ds, Diagnostic{File: t.File, Pos: s.Pos, Code: "read-error",
					Message: fmt.Sprintf("test %q: cannot read webhook fixture %s: %v", t.Name, s.Value, err)})
			}
		}
	}
	return ds
}

// checkTests checks the flow's own `tests:` block as CheckTests does.
func checkTests(w *walker, f *Flow, _ Options) {
	w.diags = append(w.diags, CheckTests(f, f.Tests)...)
}
