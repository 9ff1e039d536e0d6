package flows

import (
	"fmt"
	"strings"
)

// Graph formats that WriteGraph knows.
const (
	GraphMermaid = "mermaid"
	GraphDOT     = "dot"
)

// graph is a flow drawn as boxes and arrows: each state with what it
// sends, each edge with what takes it.
type graph struct {
	name  string
	nodes []graphNode
	edges []graphEdge
}

type graphNode struct {
	state string
	lines []string // what the state runs and sends, one line each
}

// graphEdge joins two states; from is "" for start and "*" for keywords,
// which work from any state.
type graphEdge struct {
	from, to string
	labels   []string
}

// Graph draws f as a state diagram in format (GraphMermaid or GraphDOT):
// states labelled with what they send, edges labelled with the row or
// button id, keyword, order, text or else that takes them.
func Graph(f *Flow, format string) (string, error) {
	g := buildGraph(f)
	switch format {
	case GraphMermaid:
		return g.mermaid(), nil
	case GraphDOT:
		return g.dot(), nil
	}
	return "", fmt.Errorf("unknown graph format %q (want %s or %s)", format, GraphMermaid, GraphDOT)
}

func buildGraph(f *Flow) *graph {
	g := &graph{name: f.Name}
	g.edge("", f.Start.State, "start")
	for _, k := range sortedKeys(f.Keywords) {
		g.edge("*", f.Keywords[k].State, k)
	}
	g.edge("*", f.Order.State, "(order)")
	for _, name := range f.StateNames {
		s := f.States[name]
		g.nodes = append(g.nodes, graphNode{state: name, lines: stateLines(s)})
		for _, k := range sortedKeys(s.On) {
			g.edge(name, s.On[k].State, k)
		}
		g.edge(name, s.Order.State, "(order)")
		g.edge(name, s.Text.State, "(text)")
		g.edge(name, s.Location.State, "(location)")
		g.edge(name, s.Media.State, "(media)")
		g.edge(name, s.Else.State, "(else)")
		g.edge(name, s.Idle.To.State, "(idle "+shortDuration(s.Idle.After)+")")
	}
	return g
}

// edge adds label to the edge from -> to, merging edges between the same
// two states into one.
func (g *graph) edge(from, to, label string) {
	if to == "" {
		return
	}
	for i := range g.edges {
		if g.edges[i].from == from && g.edges[i].to == to {
			g.edges[i].labels = append(g.edges[i].labels, label)
			return
		}
	}
	g.edges = append(g.edges, graphEdge{from: from, to: to, labels: []string{label}})
}

// stateLines says what a state does, one line per handler and message.
func stateLines(s *State) []string {
	var lines []string
	if s.Run != "" {
		lines = append(lines, "run "+s.Run)
	}
	for _, m := range s.Send {
		lines = append(lines, sendLine(m))
	}
	if s.Save != "" {
		lines = append(lines, "save "+s.Save)
	}
	if s.Gather > 0 {
		lines = append(lines, "gather "+shortDuration(s.Gather))
	}
	return lines
}

func sendLine(m Send) string {
	switch s := m.Spec.(type) {
	case *TextSpec:
		return "text " + quoteShort(s.Body.Raw)
	case *CatalogLinkSpec:
		return "catalog_link " + quoteShort(s.Body.Raw)
	case *ListSpec:
		var ids []string
		for _, sec := range s.Sections {
			for _, r := range sec.Rows {
				ids = append(ids, r.ID.Raw)
			}
		}
		return "list " + idList(ids)
	case *ButtonsSpec:
		var ids []string
		for _, b := range s.Buttons {
			ids = append(ids, b.ID.Raw)
		}
		return "buttons " + idList(ids)
	case *ProductSpec:
		return "product " + s.Product.Raw
	case *ProductListSpec:
		var ids []string
		for _, sec := range s.Sections {
			for _, p := range sec.Products {
				ids = append(ids, p.Raw)
			}
		}
		return "product_list " + idList(ids)
	case *TemplateSpec:
		return "template " + s.Name.Raw + " " + s.Product.Raw
	}
	return m.Kind
}

// maxGraphIDs and maxGraphText keep state boxes readable.
const (
	maxGraphIDs  = 6
	maxGraphText = 32
)

func idList(ids []string) string {
	if len(ids) > maxGraphIDs {
		ids = append(ids[:maxGraphIDs:maxGraphIDs], fmt.Sprintf("… %d more", len(ids)-maxGraphIDs))
	}
	return "[" + strings.Join(ids, ", ") + "]"
}

func quoteShort(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > maxGraphText {
		s = string(r[:maxGraphText-1]) + "…"
	}
	return "«" + s + "»"
}
