package flows

import (
	"fmt"
	"sort"
	"strings"
)

// Pos is a 1-based line and column in a flow file.
type Pos struct {
	Line int
	Col  int
}

// Diagnostic is one problem found in a flow, with a stable Code that tests
// and docs can name (unknown-key, unknown-state, list-too-many-rows, ...).
type Diagnostic struct {
	File    string
	Pos     Pos
	Code    string
	Message string
	Warning bool
}

// String formats d as FILE:LINE:COL: message, the form compilers use.
func (d Diagnostic) String() string {
	msg := d.Message
	if d.Warning {
		msg = "warning: " + msg
	}
	return fmt.Sprintf("%s:%d:%d: %s", d.File, d.Pos.Line, d.Pos.Col, msg)
}

// Diagnostics is every problem found in one or more flows.
type Diagnostics []Diagnostic

// HasErrors reports whether any diagnostic is an error (not a warning).
func (ds Diagnostics) HasErrors() bool {
	for _, d := range ds {
		if !d.Warning {
			return true
		}
	}
	return false
}

// Errors returns only the diagnostics that are errors.
func (ds Diagnostics) Errors() Diagnostics {
	var out Diagnostics
	for _, d := range ds {
		if !d.Warning {
			out = append(out, d)
		}
	}
	return out
}

// Sort orders ds by file, line and column, keeping the order of equal ones.
func (ds Diagnostics) Sort() {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		return a.Pos.Col < b.Pos.Col
	})
}

// unique drops repeats of a diagnostic, as a value an alias places
// several times gives.
func (ds Diagnostics) unique() Diagnostics {
	seen := make(map[Diagnostic]bool, len(ds))
	out := ds[:0]
	for _, d := range ds {
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}

// String prints one diagnostic per line.
func (ds Diagnostics) String() string {
	lines := make([]string, len(ds))
	for i, d := range ds {
		lines[i] = d.String()
	}
	return strings.Join(lines, "\n")
}

// Error makes Diagnostics usable as an error.
func (ds Diagnostics) Error() string { return ds.String() }
