package cli

import (
	"context"
	"fmt"

	"github.com/souk-commerce/souk/bot/flowtest"
)

func init() {
	register("test", "test FILE...                                 run conversation tests; exit 1 on any failure", runTest)
}

func runTest(_ context.Context, env *Env, args []string) int {
	fs := newFlags(env, "test")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return 2
	}
	if len(files) == 0 {
		fmt.Fprintln(env.Stderr, "usage: souk test FILE...   (a flow, or a <flow>.test.yaml)")
		return 2
	}
	if !flowtest.Run(files, flowtest.Options{Out: env.Stdout, Handlers: env.Handlers}).OK() {
		return 1
	}
	return 0
}
