package bot

import (
	"context"
	"testing"

	"github.com/souk-commerce/souk/flows"
)

// BenchmarkTransition takes a looplab/fsm machine of the flow's
// precompiled event table, sets its state and fires one event, as every
// move does.
func BenchmarkTransition(b *testing.B) {
	f := pizzeriaFlow(b)
	ctx := context.Background()
	e := &Engine{}
	b.ReportAllocs()
	for b.Loop() {
		if to, err := e.transition(ctx, f, "welcome", Trigger{Event: flows.EventOn("pizzas"), Step: "on"}); err != nil || to != "pizzas" {
			b.Fatal(to, err)
		}
	}
}
