package flowtest

import (
	"fmt"
	"io"
	"os"

	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/handlers"
)

// Options configures a run.
type Options struct {
	// Out receives the report.
	Out io.Writer
	// Handlers holds the Go handlers the flows run; nil means none.
	Handlers *handlers.Registry
}

// Summary counts the outcome of a run. Broken counts files that could not
// be run at all (a flow or test file with errors).
type Summary struct {
	Passed, Failed, Broken int
}

// OK reports whether nothing failed.
func (s Summary) OK() bool { return s.Failed == 0 && s.Broken == 0 }

// suite is one flow and the tests to run on it.
type suite struct {
	flowPath string
	flow     *flows.Flow
	tests    []flows.Test
	again    bool // some tests were skipped: an earlier path ran them
}

// Run runs the tests of every path, a flow file or a <flow>.test.yaml
// file, and writes the report to opts.Out.
func Run(paths []string, opts Options) Summary {
	if opts.Handlers == nil {
		opts.Handlers = handlers.NewRegistry()
	}
	if opts.Out == nil {
		opts.Out = io.Discard
	}
	var sum Summary
	seen := map[string]bool{}
	for _, p := range paths {
		s, diags := load(p, opts.Handlers, seen)
		for _, d := range diags {
			fmt.Fprintln(opts.Out, d)
		}
		if diags.HasErrors() {
			sum.Broken++
			continue
		}
		if len(s.tests) == 0 && !s.again {
			fmt.Fprintf(opts.Out, "%s: no tests (%s)\n", p, whereTestsGo(s.flowPath))
			continue
		}
		for _, t := range s.tests {
			if runOne(s.flow, t, opts) {
				sum.Passed++
			} else {
				sum.Failed++
			}
		}
	}
	fmt.Fprintf(opts.Out, "%d passed, %d failed", sum.Passed, sum.Failed)
	if sum.Broken > 0 {
		fmt.Fprintf(opts.Out, ", %d file(s) with errors", sum.Broken)
	}
	fmt.Fprintln(opts.Out)
	return sum
}

// load reads the flow of path and the tests path names: a flow's own
// tests and its sibling test file, or a test file's tests. seen keeps a
// test file from running twice.
func load(path string, reg *handlers.Registry, seen map[string]bool) (suite, flows.Diagnostics) {
	s := suite{flowPath: path}
	testFile, isTestFile := path, true
	if fp, ok := flows.FlowOfTestFile(path); ok {
		s.flowPath = fp
	} else {
		testFile, isTestFile = flows.TestFile(path), false
	}
	f, diags := flows.Load(s.flowPath, flows.Options{HasHandler: reg.Has})
	if f != nil {
		diags = append(diags, flows.CheckFixtures(f.Tests)...)
	}
	if diags.HasErrors() {
		return s, diags.Errors()
	}
	s.flow = f
	if !isTestFile {
		s.again = seen[path]
		if !seen[path] {
			s.tests = append(s.tests, f.Tests...)
		}
		seen[path] = true
	}
	if _, err := os.Stat(testFile); isTestFile || err == nil {
		s.again = s.again || seen[testFile]
		if !seen[testFile] {
			seen[testFile] = true
			tests, tdiags := flows.LoadTests(testFile)
			// The flow's own tests were checked above; the file's are
			// checked all at once, as souk validate does, even with some
			// malformed.
			tdiags = append(tdiags, flows.CheckTests(f, tests)...)
			tdiags = append(tdiags, flows.CheckFixtures(tests)...)
			tdiags.Sort()
			if tdiags.HasErrors() {
				return s, tdiags.Errors()
			}
			s.tests = append(s.tests, tests...)
			return s, tdiags
		}
	}
	return s, nil
}

// whereTestsGo says where a flow without tests can have them.
func whereTestsGo(flowPath string) string {
	file := flows.TestFile(flowPath)
	if _, err := os.Stat(file); err == nil {
		return file + " has none: give it a tests: list"
	}
	return "add a tests: block to the flow or write " + file
}
