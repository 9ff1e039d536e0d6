package flows_test

import (
	"strings"
	"testing"

	"github.com/souk-commerce/souk/flows"
)

// TestAnchors checks that a flow's aliases and merge keys mean what YAML
// says: the aliased menu is sent, the merged taps lead where they lead,
// and a key the state writes itself wins over a merged one.
func TestAnchors(t *testing.T) {
	f, diags := flows.Load("testdata/valid/anchors.yaml", flows.Options{})
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	pizzas := f.States["pizzas"]
	if len(pizzas.Send) != 2 || pizzas.Send[1].Kind != "buttons" {
		t.Errorf("pizzas sends %d messages, want the text and the aliased menu", len(pizzas.Send))
	}
	for key, want := range map[string]string{"pizzas": "pizzas", "help": "welcome"} {
		if got := pizzas.On[key].State; got != want {
			t.Errorf("pizzas.on.%s -> %q, want %q", key, got, want)
		}
	}
	if got := f.States["help"].On["menu"].State; got != "welcome" {
		t.Errorf("help.on.menu -> %q, want welcome (aliased from keywords)", got)
	}
}

// TestAliasedMistakeReportedOnce checks that a mistake in an anchored
// value is reported once, at the anchor, however often it is aliased.
func TestAliasedMistakeReportedOnce(t *testing.T) {
	src := "flow: x\nstart: a\nstates:\n  a:\n    send:\n      - &long {text: \"" + strings.Repeat("x", 4097) + "\"}\n" +
		"      - *long\n      - *long\n"
	_, diags := flows.Parse("x.yaml", []byte(src), flows.Options{})
	if len(diags) != 1 || diags[0].Code != "text-too-long" || diags[0].Pos.Line != 6 {
		t.Fatalf("diagnostics:\n%s\nwant one text-too-long at line 6", diags)
	}
}
