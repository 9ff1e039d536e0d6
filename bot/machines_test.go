package bot

import (
	"context"
	"sync"
	"testing"

	"github.com/souk-commerce/souk/flows"
)

// TestTransitionReusesMachines fires events from many states through the
// pooled machines, one after another and concurrently, and checks each
// lands where the flow says, whatever state a recycled machine was left in.
func TestTransitionReusesMachines(t *testing.T) {
	f := pizzeriaFlow(t)
	tests := []struct {
		name, from string
		trig       Trigger
		want       string
	}{
		{"tap", "welcome", Trigger{Event: flows.EventOn("pizzas")}, "pizzas"},
		{"back", "pizzas", Trigger{Event: flows.EventOn("back")}, "welcome"},
		{"keyword", "lemonade", Trigger{Event: flows.EventKeyword("offer")}, "offer"},
		{"keyword to self", "welcome", Trigger{Event: flows.EventKeyword("menu")}, "welcome"},
		{"order", "offer", Trigger{Event: flows.EventOrder}, "thanks"},
		{"else", "catalogue", Trigger{Event: flows.EventElse}, "welcome"},
		{"start", "thanks", Trigger{Event: flows.EventStart}, "welcome"},
		{"reenter", "hours", Reenter, "hours"},
		{"unknown state starts over", "gone", Trigger{Event: flows.EventOn("pizzas")}, "pizzas"},
	}
	e := &Engine{}
	ctx := context.Background()
	check := func(t *testing.T, tt int) {
		c := tests[tt]
		got, err := e.transition(ctx, f, c.from, c.trig)
		if err != nil || got != c.want {
			t.Errorf("%s: %s --%s--> %q, %v; want %q", c.name, c.from, c.trig.Event, got, err, c.want)
		}
	}
	for round := range 3 {
		for i := range tests {
			check(t, (i+round)%len(tests))
		}
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				check(t, (g+i)%len(tests))
			}
		})
	}
	wg.Wait()
	if _, err := e.transition(ctx, f, "pizzas", Trigger{Event: flows.EventOrder + "x"}); err == nil {
		t.Error("an event the flow does not have: no error")
	}
}
