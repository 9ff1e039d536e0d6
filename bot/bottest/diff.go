package bottest

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Diff shows what a test wanted against what was sent as a line diff of
// JSON ("-" wanted, "+" sent). The wanted side is the sent messages with
// every checked field replaced by its wanted value, so only the differences
// stand out; it is empty when there is nothing to show.
func Diff(sent []View, wants []Want) string {
	want := make([]map[string]any, len(wants))
	for i, w := range wants {
		var base View
		if i < len(sent) {
			base = sent[i]
		}
		want[i] = overlay(base, w)
	}
	got := make([]map[string]any, len(sent))
	for i, v := range sent {
		got[i] = asMap(v)
	}
	a, b := pretty(want), pretty(got)
	if a == b {
		return ""
	}
	return lineDiff(strings.Split(a, "\n"), strings.Split(b, "\n"))
}

// overlay puts w's checked fields over v.
func overlay(v View, w Want) map[string]any {
	m := asMap(v)
	if w.BodyContains != "" && !strings.Contains(v.Body, w.BodyContains) {
		delete(m, "body")
	}
	for k, x := range asMap(w) {
		m[k] = x
	}
	if w.BodyContains != "" && strings.Contains(v.Body, w.BodyContains) {
		delete(m, "body_contains")
	}
	return m
}

// asMap turns a View or Want into its JSON fields.
func asMap(v any) map[string]any {
	b, _ := json.Marshal(v)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}

// fieldOrder is the order fields are shown in, as the YAML keys read.
var fieldOrder = []string{"kind", "header", "body", "body_contains", "footer", "button", "rows", "buttons",
	"products", "catalog", "template", "language", "params", "link"}

// pretty prints messages as an indented JSON list, fields in fieldOrder.
func pretty(msgs []map[string]any) string {
	var b strings.Builder
	b.WriteString("[")
	for i, m := range msgs {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n  {")
		n := 0
		for _, k := range fieldOrder {
			v, ok := m[k]
			if !ok {
				continue
			}
			if n > 0 {
				b.WriteString(",")
			}
			n++
			fmt.Fprintf(&b, "\n    %q: %s", k, encode(v, "    "))
		}
		b.WriteString("\n  }")
	}
	if len(msgs) > 0 {
		b.WriteString("\n")
	}
	b.WriteString("]")
	return b.String()
}

// lineDiff is a longest-common-subsequence diff of two line lists.
func lineDiff(a, b []string) string {
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out strings.Builder
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			out.WriteString("  " + a[i] + "\n")
			i, j = i+1, j+1
		case i < len(a) && (j == len(b) || lcs[i+1][j] >= lcs[i][j+1]):
			out.WriteString("- " + a[i] + "\n")
			i++
		default:
			out.WriteString("+ " + b[j] + "\n")
			j++
		}
	}
	return out.String()
}

// encode is indented JSON that keeps "&", "<" and ">" as written.
func encode(v any, prefix string) string {
	var buf strings.Builder
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	_ = enc.Encode(v)
	return strings.TrimSuffix(buf.String(), "\n")
}
