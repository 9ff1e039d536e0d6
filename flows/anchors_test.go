package flows_test

import (
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
