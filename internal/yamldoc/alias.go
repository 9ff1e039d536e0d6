package yamldoc

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// MaxExpanded bounds the nodes a document may hold once its aliases are
// expanded, so that a few nested aliases cannot make it enormous.
const MaxExpanded = 100_000

// AliasError is an alias or a merge key that cannot be resolved, at Line
// and Column.
type AliasError struct {
	Line, Column int
	Msg          string
}

func (e *AliasError) Error() string { return e.Msg }

// Resolve replaces every alias (*name) under doc by the node its anchor
// (&name) marks, and merges each `<<` key into its mapping: keys written in
// the mapping win, then those of earlier merged mappings. Readers of the
// tree then never meet an alias, and a flow can reuse a menu or an `on`
// mapping. Aliased nodes are shared, not copied.
func Resolve(doc *yaml.Node) error {
	r := resolver{state: map[*yaml.Node]int{}, sizes: map[*yaml.Node]int{}}
	if err := r.resolve(doc); err != nil {
		return err
	}
	if r.size(doc) > MaxExpanded {
		return &AliasError{Line: 1, Column: 1, Msg: fmt.Sprintf("aliases expand this document past %d values", MaxExpanded)}
	}
	return nil
}

type resolver struct {
	state map[*yaml.Node]int // resolving or resolved
	sizes map[*yaml.Node]int
}

const (
	resolving = 1
	resolved  = 2
)

func (r *resolver) resolve(n *yaml.Node) error {
	if r.state[n] == resolved {
		return nil
	}
	r.state[n] = resolving
	for i, c := range n.Content {
		if c.Kind == yaml.AliasNode {
			if c.Alias == nil || r.state[c.Alias] == resolving {
				return &AliasError{Line: c.Line, Column: c.Column, Msg: fmt.Sprintf("alias *%s refers to a value that contains it", c.Value)}
			}
			c = c.Alias
			n.Content[i] = c
		}
		if err := r.resolve(c); err != nil {
			return err
		}
	}
	r.state[n] = resolved
	if n.Kind == yaml.MappingNode {
		return merge(n)
	}
	return nil
}

// merge replaces the `<<` keys of mapping m by the pairs of the mappings
// they name that m does not hold already.
func merge(m *yaml.Node) error {
	var own, sources []*yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
			sources = append(sources, m.Content[i+1])
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
	for _, src := range sources {
		list := []*yaml.Node{src}
		if src.Kind == yaml.SequenceNode {
			list = src.Content
		}
		for _, from := range list {
			if from.Kind != yaml.MappingNode {
				return &AliasError{Line: from.Line, Column: from.Column, Msg: "a merge key (<<) takes a mapping or a list of mappings"}
			}
			for i := 0; i+1 < len(from.Content); i += 2 {
				if k := from.Content[i]; !has[k.Value] {
					has[k.Value] = true
					own = append(own, k, from.Content[i+1])
				}
			}
		}
	}
	m.Content = own
	return nil
}

// size counts the values under n as if every alias were copied out,
// stopping past MaxExpanded.
func (r *resolver) size(n *yaml.Node) int {
	if s, ok := r.sizes[n]; ok {
		return s
	}
	s := 1
	for _, c := range n.Content {
		s = min(s+r.size(c), MaxExpanded+1)
	}
	r.sizes[n] = s
	return s
}
