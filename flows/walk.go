package flows

import (
	"fmt"
	"strconv"

	"gopkg.in/yaml.v3"
)

// walker reads a yaml.Node tree, collecting every problem it meets.
type walker struct {
	file  string
	diags Diagnostics
	// lines are the file's lines, for positions inside block strings.
	lines []string
}

func pos(n *yaml.Node) Pos { return Pos{Line: n.Line, Col: n.Column} }

func (w *walker) errorf(n *yaml.Node, code, format string, args ...any) {
	w.errorAt(pos(n), code, format, args...)
}

// errorAt reports a problem found after the walk, at the position kept
// for it.
func (w *walker) errorAt(p Pos, code, format string, args ...any) {
	w.diags = append(w.diags, Diagnostic{File: w.file, Pos: p, Code: code, Message: fmt.Sprintf(format, args...)})
}

func (w *walker) warnf(n *yaml.Node, code, format string, args ...any) {
	w.diags = append(w.diags, Diagnostic{File: w.file, Pos: pos(n), Code: code, Message: fmt.Sprintf(format, args...), Warning: true})
}

// fields walks the mapping n, calling f for each allowed key, reporting
// unknown and duplicate keys, and then any of the required keys missing.
// It returns false when n is not a mapping.
func (w *walker) fields(n *yaml.Node, what string, allowed, required []string, f func(key string, v *yaml.Node)) bool {
	if w.unquotedTemplate(n, what) {
		return false
	}
	if n.Kind != yaml.MappingNode {
		w.errorf(n, "wrong-type", "%s must be a mapping, not %s", what, kindName(n))
		return false
	}
	seen := map[string]int{} // key -> line
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case seen[k.Value] > 0:
			w.errorf(k, "duplicate-key", "%s: key %q is repeated (first at line %d)", what, k.Value, seen[k.Value])
		case !contains(allowed, k.Value):
			w.unknownKey(k, what, allowed)
		default:
			f(k.Value, v)
		}
		if seen[k.Value] == 0 {
			seen[k.Value] = k.Line
		}
	}
	for _, r := range required {
		if seen[r] == 0 {
			w.errorf(n, "missing-field", "%s: missing required field %q", what, r)
		}
	}
	return true
}

func (w *walker) unknownKey(k *yaml.Node, what string, allowed []string) {
	if s := suggest(k.Value, allowed); s != "" {
		w.errorf(k, "unknown-key", "%s: unknown key %q (did you mean %q?)", what, k.Value, s)
		return
	}
	w.errorf(k, "unknown-key", "%s: unknown key %q", what, k.Value)
}

// unquotedTemplate reports, as an error, a value that starts with {{ and
// is not in quotes: YAML reads it as a mapping in a mapping ({...}).
func (w *walker) unquotedTemplate(n *yaml.Node, what string) bool {
	if n.Kind != yaml.MappingNode || n.Style&yaml.FlowStyle == 0 || len(n.Content) == 0 || n.Content[0].Kind != yaml.MappingNode {
		return false
	}
	w.errorf(n, "unquoted-template", `%s: a value that starts with {{ must be in quotes, as in text: "{{.Contact.Name}}"`, what)
	return true
}

// str reads a scalar string.
func (w *walker) str(v *yaml.Node, what string) Str {
	if w.unquotedTemplate(v, what) {
		return Str{Pos: pos(v)}
	}
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
		w.errorf(v, "wrong-type", "%s must be a string, not %s", what, kindName(v))
		return Str{Pos: pos(v)}
	}
	s := Str{Raw: v.Value, Pos: pos(v), style: v.Style}
	w.compileStr(&s, what)
	return s
}

// target reads a state name.
func (w *walker) target(v *yaml.Node, what string) Target {
	s := w.str(v, what)
	return Target{State: s.Raw, Pos: s.Pos}
}

func (w *walker) boolean(v *yaml.Node, what string) bool {
	b, err := strconv.ParseBool(v.Value)
	if v.Kind != yaml.ScalarNode || err != nil {
		w.errorf(v, "wrong-type", "%s must be true or false", what)
	}
	return b
}

// seq calls f for each item of the sequence v.
func (w *walker) seq(v *yaml.Node, what string, f func(i int, item *yaml.Node)) {
	if v.Kind != yaml.SequenceNode {
		w.errorf(v, "wrong-type", "%s must be a list, not %s", what, kindName(v))
		return
	}
	for i, item := range v.Content {
		f(i, item)
	}
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	if n.Tag == "!!null" {
		return "empty"
	}
	return fmt.Sprintf("%q", n.Value)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
