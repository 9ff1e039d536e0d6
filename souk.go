// Package souk is the entry point for a developer's own souk binary: register
// Go handlers on a registry, then run the same CLI that cmd/souk runs
// (serve, validate, ...), with those handlers known.
//
//	func main() {
//		reg := handlers.NewRegistry()
//		handlers.RegisterBuiltins(reg)
//		reg.Register("check_stock", handlers.Func(checkStock))
//		souk.Main(reg)
//	}
package souk

import (
	"github.com/souk-commerce/souk/bot/cli"
	"github.com/souk-commerce/souk/handlers"
)

// Main runs the souk command line with reg's handlers and exits.
func Main(reg *handlers.Registry) { cli.Main(reg) }
