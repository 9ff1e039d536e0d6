package flows

import "github.com/looplab/fsm"

// Event names in the compiled looplab/fsm table.
const (
	EventStart = "start" // new or expired conversation, from any state
	EventOrder = "order" // a cart, to the state's `order`
	// EventFlowOrder is a cart, from any state, to the flow's `order`.
	EventFlowOrder = "flow-order"
	EventText      = "text"     // other typed text, to the state's `text`
	EventLocation  = "location" // a shared location, to the state's `location`
	EventMedia     = "media"    // a file the shopper sent, to the state's `media`
	EventElse      = "else"     // anything else, to the state's `else`
	EventIdle      = "idle"     // the shopper said nothing for a while, to the state's `idle.to`
)

// EventOn names the event for an `on` key of a state.
func EventOn(key string) string { return "on:" + key }

// EventKeyword names the event for a flow keyword.
func EventKeyword(key string) string { return "kw:" + key }

// Events is the flow's transition table for looplab/fsm, built once at load
// time. Build a machine from it per incoming event.
func (f *Flow) Events() fsm.Events { return f.events }

func (f *Flow) compileEvents() fsm.Events {
	all := append([]string(nil), f.StateNames...)
	events := fsm.Events{{Name: EventStart, Src: all, Dst: f.Start.State}}
	for _, k := range sortedKeys(f.Keywords) {
		events = append(events, fsm.EventDesc{Name: EventKeyword(k), Src: all, Dst: f.Keywords[k].State})
	}
	if f.Order.State != "" {
		events = append(events, fsm.EventDesc{Name: EventFlowOrder, Src: all, Dst: f.Order.State})
	}
	for _, name := range f.StateNames {
		events = append(events, stateEvents(f.States[name])...)
	}
	return events
}

func stateEvents(s *State) fsm.Events {
	src := []string{s.Name}
	var events fsm.Events
	for _, k := range sortedKeys(s.On) {
		events = append(events, fsm.EventDesc{Name: EventOn(k), Src: src, Dst: s.On[k].State})
	}
	for name, t := range map[string]Target{EventOrder: s.Order, EventText: s.Text, EventLocation: s.Location, EventMedia: s.Media, EventElse: s.Else, EventIdle: s.Idle.To} {
		if t.State != "" {
			events = append(events, fsm.EventDesc{Name: name, Src: src, Dst: t.State})
		}
	}
	return events
}
