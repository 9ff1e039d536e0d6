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
		{"a merge of a list of scalars: at the <<", "a: &x [1]\nb:\n  <<: *x\n", 3, "a merge key (<<) takes a mapping or a list of mappings"},
		{"aliases that expand past the bound", bomb, 1, "aliases would repeat more than 100000 values or 1048576 bytes of this document"},
		{"one long text repeated past the bound", "t: &t " + strings.Repeat("x", 300<<10) + "\nl: [*t, *t, *t, *t]\n", 1,
			"aliases would repeat more than 100000 values or 1048576 bytes of this document"},
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

// TestMergesBoundedFirst checks that merges that would copy too much are
// refused before any is made: the work they would take is the work the
// bound is there to spare.
func TestMergesBoundedFirst(t *testing.T) {
	var src strings.Builder
	src.WriteString("a: &a {")
	for i := range 500 {
		fmt.Fprintf(&src, "k%d: %d, ", i, i)
	}
	src.WriteString("z: 0}\n")
	for i := range 500 {
		fmt.Fprintf(&src, "m%d: {<<: *a}\n", i)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src.String()), &doc); err != nil {
		t.Fatal(err)
	}
	if _, ok := errors.AsType[*AliasError](Resolve(&doc)); !ok {
		t.Fatal("500 merges of 500 keys each were not refused")
	}
	if m := doc.Content[0].Content[3]; len(m.Content) != 2 || m.Content[0].Tag != "!!merge" {
		t.Errorf("m0 holds %d nodes, want its << alone: a merge was made before the refusal", len(m.Content))
	}
}

// TestUnknownAnchorAt checks that an alias naming no anchor is reported
// where it is written.
func TestUnknownAnchorAt(t *testing.T) {
	data := []byte("a: &menu 1\nb:\n  c: [x, *menus]\n")
	_, _, err := One(data)
	line, col, msg := SyntaxAt(data, err)
	if line != 3 || col != 10 || msg != "alias *menus names no anchor (&menus) written before it" {
		t.Errorf("SyntaxAt = %d:%d %q", line, col, msg)
	}
}
