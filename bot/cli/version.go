package cli

import (
	"context"
	"fmt"
	"runtime/debug"
)

// Version is souk's version, set at build time with
// -ldflags "-X github.com/souk-commerce/souk/bot/cli.Version=v1.2.3".
var Version = "dev"

func init() {
	register("version", "version                                   print the version", runVersion)
}

func runVersion(_ context.Context, env *Env, _ []string) int {
	v := Version
	if info, ok := debug.ReadBuildInfo(); ok && v == "dev" && info.Main.Version != "" && info.Main.Version != "(devel)" {
		v = info.Main.Version
	}
	fmt.Fprintf(env.Stdout, "souk %s\n", v)
	return 0
}
