package flows_test

import (
	"strings"
	"testing"

	"github.com/souk-commerce/souk/flows"
)

// loadPizzeria loads the example pizzeria without handlers, failing tb on
// any error.
func loadPizzeria(tb testing.TB) *flows.Flow {
	tb.Helper()
	f, diags := flows.Load("../examples/pizzeria/flow.yaml", flows.Options{})
	if diags.HasErrors() {
		tb.Fatal(diags)
	}
	return f
}

// TestGraphPizzeria compares the pizzeria's diagrams with golden files.
func TestGraphPizzeria(t *testing.T) {
	f := loadPizzeria(t)
	for _, tc := range []struct{ name, format, golden string }{
		{"mermaid", flows.GraphMermaid, "testdata/graph/pizzeria.mermaid"},
		{"dot", flows.GraphDOT, "testdata/graph/pizzeria.dot"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := flows.Graph(f, tc.format)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tc.golden, out)
		})
	}
}

func TestGraph(t *testing.T) {
	src := `
flow: odd names
start: "pick-size"
keywords: {menu: "pick-size", help: state}
states:
  "pick-size":
    send:
      - buttons:
          body: "Which size? \"big\" or small; #1 choice"
          buttons: [{id: s, title: Small}, {id: l, title: Large}]
    on: {s: state, l: state}
    text: state
    save: size
    gather: 5s
  state:
    idle: {after: 90m, to: "pick-size"}
    run: order_summary
    send: [{text: "a <b> line\nand another"}]
`
	f, diags := flows.Parse("odd.yaml", []byte(src), flows.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	tests := []struct {
		name, format string
		want         []string
	}{
		{"mermaid ids are made safe", flows.GraphMermaid, []string{
			`state "pick-size<br/>buttons [s, l]<br/>save size<br/>gather 5s" as s_pick_size`,
			`state "state<br/>run order_summary<br/>text «a ‹b› line and another»" as s_state`,
			`[*] --> s_pick_size : start`,
			`any_state_ --> s_pick_size : menu`,
			`s_pick_size --> s_state : l, s, (text)`,
			`s_state --> s_pick_size : (idle 1h30m)`,
		}},
		{"dot quotes names", flows.GraphDOT, []string{
			`digraph "odd names" {`,
			`"pick-size" [label="pick-size\nbuttons [s, l]\nsave size\ngather 5s"];`,
			`"start_" -> "pick-size" [label="start"];`,
			`"any_state_" -> "state" [label="help", style=dashed];`,
			`"pick-size" -> "state" [label="l, s, (text)"];`,
			`"state" -> "pick-size" [label="(idle 1h30m)"];`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := flows.Graph(f, tc.format)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %s\n%s", w, out)
				}
			}
		})
	}
	if _, err := flows.Graph(f, "svg"); err == nil {
		t.Error("unknown format accepted")
	}
}
