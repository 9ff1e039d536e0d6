package catalog

import (
	"github.com/souk-commerce/souk/internal/yamldoc"
	"gopkg.in/yaml.v3"
)

// yaml reads a list of products, each a mapping with id, name, price,
// currency and optionally description.
func (l *loader) yaml(data []byte) {
	doc, extra, err := yamldoc.One(data)
	if err != nil {
		line, col, msg := yamldoc.SyntaxAt(data, err)
		l.problem(line, col, "yaml-syntax", "%s", msg)
	}
	if extra != nil {
		l.problem(extra.Line, extra.Column, "extra-document", "a products file holds one YAML document; this second one (after ---) would be ignored")
	}
	if doc == nil {
		return
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.SequenceNode {
		l.problem(1, 1, "products-format", "a YAML products file is a list of {id, name, price, currency, description}")
		return
	}
	for _, item := range doc.Content[0].Content {
		l.yamlProduct(item)
	}
}

func (l *loader) yamlProduct(n *yaml.Node) {
	at := field{line: n.Line, col: n.Column}
	if n.Kind != yaml.MappingNode {
		l.problem(n.Line, n.Column, "products-format", "a product must be a mapping of id, name, price, currency")
		return
	}
	fields := map[string]field{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name, known := columns[k.Value]
		switch {
		case !known:
			l.problem(k.Line, k.Column, "unknown-key", "product: unknown key %q (keys: id, name, price, currency, description)", k.Value)
		case v.Kind != yaml.ScalarNode:
			l.problem(v.Line, v.Column, "wrong-type", "product: %s must be a single value", k.Value)
		default:
			fields[name] = field{val: v.Value, line: v.Line, col: v.Column}
		}
	}
	l.add(at, fields)
}
