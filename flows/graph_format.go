package flows

import (
	"fmt"
	"regexp"
	"strings"
)

// ids gives every state and pseudo-state of a graph an identifier that
// the output format accepts, keeping the state's name when it can.
type ids struct {
	of   map[string]string
	used map[string]bool
}

var (
	// plainID is an identifier as Mermaid and Graphviz take it, and as
	// text/template reads a field name (a saved var's name).
	plainID  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	notIDRun = regexp.MustCompile(`[^A-Za-z0-9_]`)
	// reservedIDs are words Mermaid's state grammar reads as keywords.
	reservedIDs = map[string]bool{"state": true, "note": true, "end": true, "direction": true, "class": true,
		"classdef": true, "style": true, "as": true, "left": true, "right": true, "of": true, "click": true}
)

// usable reports whether a state's own name can serve as its identifier.
func usable(name string) bool {
	return plainID.MatchString(name) && !reservedIDs[strings.ToLower(name)]
}

// newIDs names "" (start) and "*" (any state) first, so that a state
// cannot take their identifiers.
func newIDs(g *graph) *ids {
	x := &ids{of: map[string]string{}, used: map[string]bool{}}
	for _, n := range g.nodes {
		if usable(n.state) {
			x.used[n.state] = true
		}
	}
	x.of[""], x.of["*"] = x.fresh("start_"), x.fresh("any_state_")
	for _, n := range g.nodes {
		if usable(n.state) {
			x.of[n.state] = n.state
			continue
		}
		x.of[n.state] = x.fresh("s_" + notIDRun.ReplaceAllString(n.state, "_"))
	}
	return x
}

func (x *ids) fresh(base string) string {
	id := base
	for i := 2; x.used[id]; i++ {
		id = fmt.Sprintf("%s%d", base, i)
	}
	x.used[id] = true
	return id
}

func (x *ids) id(state string) string {
	if id, ok := x.of[state]; ok {
		return id
	}
	return x.fresh("s_undefined")
}

// mermaidText makes s safe inside a Mermaid state label or transition
// label, which end at a newline, ';' or '#', and hold no '"'.
var mermaidText = strings.NewReplacer(";", ",", "#", "＃", "\"", "'", "<", "‹", ">", "›", "\n", " ")

// mermaid renders g as a Mermaid stateDiagram-v2.
func (g *graph) mermaid() string {
	x := newIDs(g)
	var b strings.Builder
	fmt.Fprintf(&b, "stateDiagram-v2\n    %%%% flow %s\n    direction LR\n", mermaidText.Replace(g.name))
	if g.hasKeywords() {
		fmt.Fprintf(&b, "    state \"any state (keywords)\" as %s\n", x.id("*"))
	}
	for _, n := range g.nodes {
		label := mermaidText.Replace(strings.Join(append([]string{n.state}, n.lines...), "\x00"))
		fmt.Fprintf(&b, "    state \"%s\" as %s\n", strings.ReplaceAll(label, "\x00", "<br/>"), x.id(n.state))
	}
	for _, e := range g.edges {
		from := "[*]"
		if e.from != "" {
			from = x.id(e.from)
		}
		fmt.Fprintf(&b, "    %s --> %s : %s\n", from, x.id(e.to), mermaidText.Replace(strings.Join(e.labels, ", ")))
	}
	return b.String()
}

// dotText quotes s as a DOT string.
func dotText(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

// dot renders g as a Graphviz digraph. States keep their names, quoted;
// only start and "any state" need made-up identifiers.
func (g *graph) dot() string {
	x := newIDs(g)
	for _, n := range g.nodes {
		x.of[n.state] = n.state
	}
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %s {\n  rankdir=LR;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n", dotText(g.name))
	fmt.Fprintf(&b, "  %s [shape=point, width=0.2, label=\"\"];\n", dotText(x.id("")))
	if g.hasKeywords() {
		fmt.Fprintf(&b, "  %s [shape=plaintext, label=\"any state (keywords)\"];\n", dotText(x.id("*")))
	}
	for _, n := range g.nodes {
		fmt.Fprintf(&b, "  %s [label=%s];\n", dotText(x.id(n.state)), dotText(strings.Join(append([]string{n.state}, n.lines...), "\n")))
	}
	for _, e := range g.edges {
		style := ""
		if e.from == "*" {
			style = ", style=dashed"
		}
		fmt.Fprintf(&b, "  %s -> %s [label=%s%s];\n", dotText(x.id(e.from)), dotText(x.id(e.to)), dotText(strings.Join(e.labels, ", ")), style)
	}
	b.WriteString("}\n")
	return b.String()
}

func (g *graph) hasKeywords() bool {
	for _, e := range g.edges {
		if e.from == "*" {
			return true
		}
	}
	return false
}
