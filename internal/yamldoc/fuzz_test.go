package yamldoc

import (
	"testing"

	"gopkg.in/yaml.v3"
)

// FuzzOne holds One and SyntaxAt to their word on any input: no panic, a
// line and column within the input for an error, and, without one, a tree
// with no alias, and no merge key left in a mapping.
func FuzzOne(f *testing.F) {
	for _, s := range []string{
		"a: 1\n", "a: &x {p: 1}\nb: {<<: *x, q: 2}\n", "a: &x [1, *x]\n", "a: *nope\n",
		"a: [1, 2\nb: 3\n", "a:\n  b: 1\n c: 2\n", "%YAML 1.1\n%YAML 1.1\n---\na: 1\n", "a: &a [x, x]\nb: [*a, *a]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, _, err := One(data)
		if err != nil {
			line, col, msg := SyntaxAt(data, err)
			if line < 1 || line > lastLine(data) || col < 1 || msg == "" {
				t.Fatalf("SyntaxAt = %d:%d %q for %q", line, col, msg, err)
			}
			return
		}
		var walk func(n *yaml.Node, depth int)
		walk = func(n *yaml.Node, depth int) {
			if depth > 10_000 {
				t.Fatal("a cycle left in the tree")
			}
			if n.Kind == yaml.AliasNode {
				t.Fatalf("%d:%d: alias *%s left in the tree", n.Line, n.Column, n.Value)
			}
			for i := 0; n.Kind == yaml.MappingNode && i < len(n.Content); i += 2 {
				if k := n.Content[i]; k.Tag == "!!merge" {
					t.Fatalf("%d:%d: merge key left in the tree", k.Line, k.Column)
				}
			}
			for _, c := range n.Content {
				walk(c, depth+1)
			}
		}
		walk(doc, 0)
	})
}
