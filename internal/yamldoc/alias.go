package yamldoc

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// Aliases may add at most MaxAliasValues values and MaxAliasBytes bytes of
// text to a document, counted as if every alias were copied out, so that a
// few short lines cannot make a reader walk or compile an enormous tree.
const (
	MaxAliasValues = 100_000
	MaxAliasBytes  = 1 << 20
)

// AliasError is an alias or a merge key that cannot be resolved, at Line
// and Column.
type AliasError struct {
	Line, Column int
	Msg          string
}

func (e *AliasError) Error() string { return e.Msg }

// Resolve replaces every alias (*name) under doc by the node its anchor
// (&name) marks, and merges each `<<` key into its mapping: keys written in
// the mapping win, then those of earlier merged mappings, compared as
// written. Readers of the tree then never meet an alias, and a flow can
// reuse a menu or an `on` mapping. Aliased nodes are shared, not copied;
// the bounds are checked before any merge is made.
func Resolve(doc *yaml.Node) error {
	r := resolver{state: map[*yaml.Node]int{}}
	if err := r.link(doc); err != nil {
		return err
	}
	if r.aliases > 0 {
		if err := r.bound(doc); err != nil {
			return err
		}
	}
	if !r.merges {
		return nil
	}
	clear(r.state)
	return r.merge(doc)
}

type resolver struct {
	state   map[*yaml.Node]int // linking, linked or merged
	aliases int
	merges  bool
}

const (
	linking = 1
	linked  = 2
)

// link puts each alias's anchored node in its place, refusing an alias
// inside its own anchor.
func (r *resolver) link(n *yaml.Node) error {
	if r.state[n] == linked {
		return nil
	}
	r.state[n] = linking
	for i, c := range n.Content {
		if c.Kind == yaml.AliasNode {
			if c.Alias == nil || r.state[c.Alias] == linking {
				return &AliasError{Line: c.Line, Column: c.Column, Msg: fmt.Sprintf("alias *%s refers to a value that contains it", c.Value)}
			}
			r.aliases++
			c = c.Alias
			n.Content[i] = c
		}
		if c.Kind == yaml.ScalarNode && c.Tag == "!!merge" {
			r.merges = true
		}
		if err := r.link(c); err != nil {
			return err
		}
	}
	r.state[n] = linked
	return nil
}

// bound refuses a document its aliases make too large: the values and
// bytes under doc counted once per place they appear, against the same
// counted once per node.
func (r *resolver) bound(doc *yaml.Node) error {
	expanded := expanse{memo: map[*yaml.Node][2]int{}}
	own := expanse{seen: map[*yaml.Node]bool{}}
	values, bytes := expanded.size(doc)
	ownValues, ownBytes := own.size(doc)
	if values-ownValues > MaxAliasValues || bytes-ownBytes > MaxAliasBytes {
		return &AliasError{Line: 1, Column: 1, Msg: fmt.Sprintf(
			"aliases would repeat more than %d values or %d bytes of this document", MaxAliasValues, MaxAliasBytes)}
	}
	return nil
}

// expanse counts values and scalar bytes: every time a node appears (memo
// set), or once per node (seen set). Counts stop growing past the bounds.
type expanse struct {
	memo map[*yaml.Node][2]int
	seen map[*yaml.Node]bool
}

func (e expanse) size(n *yaml.Node) (values, bytes int) {
	if e.seen != nil {
		if e.seen[n] {
			return 0, 0
		}
		e.seen[n] = true
	} else if s, ok := e.memo[n]; ok {
		return s[0], s[1]
	}
	values, bytes = 1, len(n.Value)
	for _, c := range n.Content {
		v, b := e.size(c)
		values, bytes = min(values+v, 1<<40), min(bytes+b, 1<<40)
	}
	if e.memo != nil {
		e.memo[n] = [2]int{values, bytes}
	}
	return values, bytes
}

// merge does every `<<` of the tree under n, each mapping once.
func (r *resolver) merge(n *yaml.Node) error {
	if r.state[n] != 0 {
		return nil
	}
	r.state[n] = linked
	for _, c := range n.Content {
		if err := r.merge(c); err != nil {
			return err
		}
	}
	if n.Kind == yaml.MappingNode {
		return mergeInto(n)
	}
	return nil
}

// mergeInto replaces the `<<` keys of mapping m by the pairs of the
// mappings they name that m does not hold already.
func mergeInto(m *yaml.Node) error {
	var own, sources []*yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
			sources = append(sources, k, m.Content[i+1])
			continue
		}
		own = append(own, m.Content[i], m.Content[i+1])
	}
	if len(sources) == 0 {
		return nil
	}
	has := map[string]bool{}
	for i := 0; i < len(own); i += 2 {
		has[own[i].Value] = true
	}
	for i := 0; i < len(sources); i += 2 {
		key, src := sources[i], sources[i+1]
		list := []*yaml.Node{src}
		if src.Kind == yaml.SequenceNode {
			list = src.Content
		}
		for _, from := range list {
			if from.Kind != yaml.MappingNode {
				return &AliasError{Line: key.Line, Column: key.Column, Msg: "a merge key (<<) takes a mapping or a list of mappings"}
			}
			for j := 0; j+1 < len(from.Content); j += 2 {
				if k := from.Content[j]; !has[k.Value] {
					has[k.Value] = true
					own = append(own, k, from.Content[j+1])
				}
			}
		}
	}
	m.Content = own
	return nil
}
