package yamldoc

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestResolve checks that aliases and merge keys are gone after One, and
// that what they mean is there instead.
func TestResolve(t *testing.T) {
	src := "base: &b {x: 1, y: 2}\nmore: &m {y: 3, z: 4}\n" +
		"use: *b\nmerged:\n  <<: [*b, *m]\n  x: 9\nlist: [*b, *b]\n"
	doc, _, err := One([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := doc.Decode(&got); err != nil {
		t.Fatal(err)
	}
	want := "map[base:map[x:1 y:2] list:[map[x:1 y:2] map[x:1 y:2]] merged:map[x:9 y:2 z:4] more:map[y:3 z:4] use:map[x:1 y:2]]"
	if s := fmt.Sprint(got); s != want {
		t.Errorf("resolved to\n%s\nwant\n%s", s, want)
	}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.AliasNode || n.Tag == "!!merge" {
			t.Errorf("%d:%d: %v left in the tree", n.Line, n.Column, n.Value)
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(doc)
}

// TestResolveRefuses checks the aliases One refuses, each at its place.
func TestResolveRefuses(t *testing.T) {
	// Ten times ten times ... : 10^6 values from six short lines.
	bomb, last := "a: &a [x, x, x, x, x, x, x, x, x, x]\n", "a"
	for _, name := range []string{"b", "c", "d", "e", "f"} {
		bomb += name + ": &" + name + " [" + strings.Repeat("*"+last+", ", 9) + "*" + last + "]\n"
		last = name
	}
	tests := []struct {
		name, in string
		line     int
		msg      string
	}{
		{"an alias inside its own anchor", "a: &x [1, *x]\n", 1, "alias *x refers to a value that contains it"},
		{"a merge of a list of scalars", "a: &x [1]\nb:\n  <<: *x\n", 1, "a merge key (<<) takes a mapping or a list of mappings"},
		{"aliases that expand past the bound", bomb, 1, "aliases expand this document past 100000 values"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, _, err := One([]byte(tt.in))
			ae, ok := errors.AsType[*AliasError](err)
			if doc != nil || !ok || ae.Line != tt.line || ae.Msg != tt.msg {
				t.Fatalf("One = %v, %v; want an AliasError at line %d: %s", doc, err, tt.line, tt.msg)
			}
		})
	}
}
