// Package cli is souk's command line: serve, validate, version and the other
// subcommands, one file each. It only wires the other packages together.
// cmd/souk runs it with the built-in handlers; a developer's own binary runs
// it (through souk.Main) with their handlers registered too.
package cli
