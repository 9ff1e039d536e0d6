package flows

import (
	"fmt"
	"os"
	"strings"
)

// Options tells the loader what the running binary knows.
type Options struct {
	// HasHandler reports whether a `run:` name is registered. Nil means
	// handlers are not checked.
	HasHandler func(name string) bool
	// Strict turns warnings into errors.
	Strict bool
}

// Load reads, checks and compiles the flow in path. The flow is usable only
// when the returned diagnostics hold no errors.
func Load(path string, opts Options) (*Flow, Diagnostics) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, Diagnostics{{File: path, Pos: Pos{1, 1}, Code: "read-error", Message: fmt.Sprintf("cannot read flow: %v", err)}}
	}
	return Parse(path, data, opts)
}

// Parse checks and compiles a flow held in memory; file names it in
// diagnostics.
func Parse(file string, data []byte, opts Options) (*Flow, Diagnostics) {
	w := &walker{file: file, lines: strings.Split(string(data), "\n")}
	f := w.parse(data)
	if !hasCode(w.diags, "yaml-syntax") {
		w.validate(f, opts)
	}
	if opts.Strict {
		for i := range w.diags {
			w.diags[i].Warning = false
		}
	}
	w.diags.Sort()
	w.diags = w.diags.unique()
	if !w.diags.HasErrors() {
		f.events = f.compileEvents()
		f.compileTitles()
	}
	return f, w.diags
}

func hasCode(ds Diagnostics, code string) bool {
	for _, d := range ds {
		if d.Code == code {
			return true
		}
	}
	return false
}
