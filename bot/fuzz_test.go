package bot

import (
	"context"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/internal/fuzzseed"
	"github.com/souk-commerce/souk/store"
)

// pizzeriaFlow loads the example pizzeria without handlers: the flow the
// package's fuzz, machine and transition tests run on.
func pizzeriaFlow(tb testing.TB) *flows.Flow {
	tb.Helper()
	fl, diags := flows.Load("../examples/pizzeria/flow.yaml", flows.Options{})
	if diags.HasErrors() {
		tb.Fatalf("pizzeria: %s", diags)
	}
	return fl
}

// FuzzDecodeResolve decodes arbitrary webhook bodies and maps every event
// on the pizzeria's rule from every state: the trigger is one of the rule's
// steps, and the state machine accepts it and lands in a defined state.
func FuzzDecodeResolve(f *testing.F) {
	fuzzseed.AddFiles(f, "whatsapp/testdata/inbound/*")
	fl := pizzeriaFlow(f)
	now := time.Unix(1763712000, 0)
	convs := []store.Conversation{{}}
	for _, name := range fl.StateNames {
		convs = append(convs, store.Conversation{State: name, Version: 1, LastActive: now},
			store.Conversation{State: name, Version: 1, LastActive: now, ResumedAt: now})
	}
	convs = append(convs, store.Conversation{State: "gone", Version: 1, LastActive: now},
		store.Conversation{State: fl.Start.State, Version: 1, LastActive: now.Add(-48 * time.Hour)})
	f.Fuzz(func(t *testing.T, body []byte) {
		events, _ := whatsapp.Decode(body)
		for _, ev := range events {
			for _, c := range convs {
				checkTrigger(t, fl, c, ev, now)
			}
		}
	})
}

// steps are the names Resolve gives the rule's steps.
var steps = map[string]bool{"start": true, "on": true, "keyword": true, "order": true, "text": true, "else": true, "resumed": true, "reenter": true}

func checkTrigger(t *testing.T, fl *flows.Flow, c store.Conversation, ev whatsapp.Event, now time.Time) {
	t.Helper()
	tr := Resolve(fl, c, ev, now)
	if !steps[tr.Step] {
		t.Fatalf("step %q from %q for %+v", tr.Step, c.State, ev)
	}
	if tr.Step == "text" && ev.Tapped() {
		t.Fatalf("a tap matched text: %+v", ev)
	}
	next, err := (&Engine{}).transition(context.Background(), fl, c.State, tr)
	if err != nil {
		t.Fatalf("trigger %+v from %q: %v", tr, c.State, err)
	}
	if tr != Reenter && fl.States[next] == nil {
		t.Fatalf("trigger %+v from %q lands in undefined state %q", tr, c.State, next)
	}
}
