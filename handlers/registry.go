package handlers

import (
	"fmt"
	"runtime"
	"sort"
)

// Registry maps handler names to handlers. Register everything before the
// engine starts; lookups are then safe for concurrent use.
type Registry struct {
	entries map[string]entry
}

type entry struct {
	h     Handler
	where string
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{entries: map[string]entry{}} }

// Register adds h under name. It panics on an empty name, a nil handler, or
// a name registered twice, saying where both registrations are.
func (r *Registry) Register(name string, h Handler) {
	where := caller()
	switch {
	case name == "":
		panic(fmt.Sprintf("handlers: empty handler name registered at %s", where))
	case h == nil:
		panic(fmt.Sprintf("handlers: nil handler %q registered at %s", name, where))
	}
	if prev, ok := r.entries[name]; ok {
		panic(fmt.Sprintf("handlers: %q registered twice: at %s and at %s", name, prev.where, where))
	}
	r.entries[name] = entry{h: h, where: where}
}

// Lookup returns the handler registered under name.
func (r *Registry) Lookup(name string) (Handler, bool) {
	e, ok := r.entries[name]
	return e.h, ok
}

// Has reports whether name is registered.
func (r *Registry) Has(name string) bool {
	_, ok := r.entries[name]
	return ok
}

// Names lists the registered names, sorted.
func (r *Registry) Names() []string {
	names := make([]string, 0, len(r.entries))
	for n := range r.entries {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// caller is the file:line of the code that called Register.
func caller() string {
	for skip := 2; skip < 6; skip++ {
		_, file, line, ok := runtime.Caller(skip)
		if ok && !isOwnFile(file) {
			return fmt.Sprintf("%s:%d", file, line)
		}
	}
	return "unknown"
}

func isOwnFile(file string) bool {
	return len(file) > len("handlers/registry.go") && file[len(file)-len("handlers/registry.go"):] == "handlers/registry.go"
}
