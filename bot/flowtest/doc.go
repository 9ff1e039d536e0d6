// Package flowtest runs the conversation tests written in YAML beside a
// flow (its `tests:` block, or a sibling <flow>.test.yaml), as `souk test`
// does: each test gets a fresh in-process store, a fake clock and a fake
// Kaleyra API (package bottest), plays its steps, and checks what souk sent
// against the exact request JSON the Kaleyra client produced.
//
//	sum := flowtest.Run([]string{"flow.yaml"}, flowtest.Options{Out: os.Stdout, Handlers: reg})
//	if !sum.OK() { os.Exit(1) } // a failed test, or a file that could not be run
//
// It prints one line per test (ok or FAIL and the name); a failure adds the
// step's FILE:LINE:COL, each difference, and a JSON diff of wanted against
// sent; a last line counts passed and failed tests.
package flowtest
