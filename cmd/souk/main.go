// Command souk runs merchant flows as a WhatsApp commerce bot: serve,
// validate, and the other subcommands, with the built-in handlers.
package main

import (
	"github.com/souk-commerce/souk"
	"github.com/souk-commerce/souk/handlers"
)

func main() {
	reg := handlers.NewRegistry()
	handlers.RegisterBuiltins(reg)
	souk.Main(reg)
}
