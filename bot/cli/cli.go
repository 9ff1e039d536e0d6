package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"

	"github.com/souk-commerce/souk/handlers"
)

// Env is what a command sees of the outside world, so tests can drive it.
type Env struct {
	Stdin    io.Reader
	Stdout   io.Writer
	Stderr   io.Writer
	Getenv   func(string) string
	Handlers *handlers.Registry
}

// command is one subcommand.
type command struct {
	usage string
	run   func(ctx context.Context, env *Env, args []string) int
}

var commands = map[string]command{}

func register(name, usage string, run func(ctx context.Context, env *Env, args []string) int) {
	commands[name] = command{usage: usage, run: run}
}

// Run runs the subcommand named by args[0] and returns the exit code.
func Run(ctx context.Context, env *Env, args []string) int {
	if env.Handlers == nil {
		env.Handlers = handlers.NewRegistry()
	}
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(env.Stderr)
		return 2
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "souk: unknown command %q\n\n", args[0])
		usage(env.Stderr)
		return 2
	}
	return cmd.run(ctx, env, args[1:])
}

// Main runs the CLI on the process's arguments and exits.
func Main(reg *handlers.Registry) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Run(ctx, &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Handlers: reg}, os.Args[1:])
	stop()
	os.Exit(code)
}

func usage(w io.Writer) {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintln(w, "usage: souk <command> [arguments]\n\ncommands:")
	for _, n := range names {
		fmt.Fprintf(w, "  souk %s\n", commands[n].usage)
	}
}

// newFlags returns a flag set that reports errors on env.Stderr.
func newFlags(env *Env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("souk "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return fs
}

// parseInterspersed parses flags that may come after positional arguments.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return rest, nil
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
