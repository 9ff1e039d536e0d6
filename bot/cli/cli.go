package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"sort"
	"strings"
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
	switch {
	case len(args) == 0:
		usage(env.Stderr)
		return 2
	case isHelp(args[0]) || args[0] == "help":
		usage(env.Stdout)
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "souk: unknown command %q\n\n", args[0])
		usage(env.Stderr)
		return 2
	}
	if len(args) > 1 && slices.ContainsFunc(args[1:], isHelp) {
		return commandHelp(ctx, env, args[0], cmd)
	}
	return cmd.run(ctx, env, args[1:])
}

// flagless are the commands with no flags of their own (outbox's
// subcommands have theirs, which its usage line lists), so that help must
// not run them to find flags.
var flagless = []string{"version", "handoff", "outbox", "schema"}

func isHelp(a string) bool { return a == "-h" || a == "-help" || a == "--help" }

// commandHelp prints a command's usage line and its flags on stdout and
// exits 0: the flags are those the command's own flag set prints for -h.
func commandHelp(ctx context.Context, env *Env, name string, cmd command) int {
	fmt.Fprintf(env.Stdout, "usage: souk %s\n", cmd.usage)
	if slices.Contains(flagless, name) {
		return 0
	}
	var flags bytes.Buffer
	sub := *env
	sub.Stdout, sub.Stderr = io.Discard, &flags
	cmd.run(ctx, &sub, []string{"-h"})
	for _, line := range strings.SplitAfter(flags.String(), "\n") {
		if strings.HasPrefix(line, "  ") || strings.HasPrefix(line, "\t") {
			fmt.Fprint(env.Stdout, line)
		}
	}
	return 0
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
