package flowtest

import (
	"fmt"
	"os"

	"github.com/souk-commerce/souk/flows"
)

// Checked is what Validate found in a test file.
type Checked struct {
	// Flow is the flow the file tests (flow.test.yaml -> flow.yaml); nil
	// when it is missing or has errors.
	Flow *flows.Flow
	// Tests are the file's tests.
	Tests []flows.Test
}

// Validate checks a <flow>.test.yaml file without running it, for `souk
// validate`: its shape (the test parser's FILE:LINE:COL problems), that the
// flow beside it exists and loads, that every state it names is one of that
// flow's, and that every webhook fixture it posts can be read. Handler
// names are not checked: validating the flow itself does that.
func Validate(path string) (Checked, flows.Diagnostics) {
	var c Checked
	tests, diags := flows.LoadTests(path)
	c.Tests = tests
	flowPath, ok := flows.FlowOfTestFile(path)
	if !ok {
		return c, append(diags, flows.Diagnostic{File: path, Pos: flows.Pos{Line: 1, Col: 1}, Code: "read-error",
			Message: "not a test file: its name must end in .test.yaml (flow.yaml -> flow.test.yaml)"})
	}
	if _, err := os.Stat(flowPath); err != nil {
		return c, append(diags, flows.Diagnostic{File: path, Pos: flows.Pos{Line: 1, Col: 1}, Code: "read-error",
			Message: fmt.Sprintf("no flow %s beside this test file", flowPath)})
	}
	f, fdiags := flows.Load(flowPath, flows.Options{})
	if fdiags.HasErrors() {
		return c, append(diags, flows.Diagnostic{File: path, Pos: flows.Pos{Line: 1, Col: 1}, Code: "flow-has-errors",
			Message: fmt.Sprintf("the flow it tests, %s, has errors (souk validate %s lists them)", flowPath, flowPath)})
	}
	c.Flow = f
	diags = append(diags, flows.CheckTests(f, tests)...)
	diags = append(diags, flows.CheckFixtures(tests)...)
	diags.Sort()
	return c, diags
}
