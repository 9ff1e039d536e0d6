package cli

import (
	"context"
	"fmt"

	"github.com/souk-commerce/souk/flows"
)

func init() {
	register("graph", "graph FILE [--format mermaid|dot]           draw the flow's state machine", runGraph)
}

func runGraph(_ context.Context, env *Env, args []string) int {
	fs := newFlags(env, "graph")
	format := fs.String("format", flows.GraphMermaid, "output format: mermaid or dot")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return 2
	}
	if len(files) != 1 {
		fmt.Fprintln(env.Stderr, "usage: souk graph FILE [--format mermaid|dot]")
		return 2
	}
	f, ok := loadFlow(env, files[0])
	if !ok {
		return 1
	}
	out, err := flows.Graph(f, *format)
	if err != nil {
		fmt.Fprintf(env.Stderr, "souk graph: %v\n", err)
		return 2
	}
	fmt.Fprint(env.Stdout, out)
	return 0
}

// loadFlow loads and checks a flow, printing its diagnostics on stderr; ok
// is false when it has errors.
func loadFlow(env *Env, file string) (*flows.Flow, bool) {
	f, diags := flows.Load(file, flowOptions(env, false))
	for _, d := range diags {
		fmt.Fprintln(env.Stderr, d)
	}
	if diags.HasErrors() {
		fmt.Fprintf(env.Stderr, "%s: the flow has errors\n", file)
		return nil, false
	}
	return f, true
}
