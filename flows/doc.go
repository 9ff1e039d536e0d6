// Package flows loads a merchant's YAML flow, checks it, and compiles it
// into what the engine runs: a looplab/fsm event table and message specs
// whose strings are pre-parsed text/templates.
//
// Every flow element keeps the yaml.v3 position it came from, so every
// problem is reported as FILE:LINE:COL: message, and all problems are
// collected rather than stopping at the first. Each check is a function in
// the `checks` slice (validate.go); WhatsApp's limits are checked in
// limits.go and counts.go, ids in ids.go. Graph draws a flow as a Mermaid
// or Graphviz state diagram.
//
//	f, diags := flows.Load("examples/pizzeria/flow.yaml", flows.Options{})
//	if diags.HasErrors() {
//		fmt.Println(diags) // one FILE:LINE:COL: message per line
//	}
//	next := f.States[f.Start].On["pizzas"].State
package flows
