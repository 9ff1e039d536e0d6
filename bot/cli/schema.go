package cli

import (
	"context"
	"fmt"

	"github.com/souk-commerce/souk/flows"
)

func init() {
	register("schema", "schema                                    print the flow format's JSON Schema, for editors", runSchema)
}

func runSchema(_ context.Context, env *Env, args []string) int {
	if len(args) > 0 {
		fmt.Fprintln(env.Stderr, "usage: souk schema > flow.schema.json")
		return 2
	}
	_, _ = env.Stdout.Write(flows.Schema())
	return 0
}
