package bot

import (
	"context"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/handlers"
)

const locationFlow = `flow: delivery
start: ask
session_ttl: 1h
states:
  ask:
    send: [{text: "Share your location, or type the address"}]
    location: confirm
    text: typed
    save: address
  confirm:
    run: note_place
    send: [{text: "To {{.Location.Name}}, {{.Location.Address}} ({{.Location.Latitude}}, {{.Location.Longitude}})"}]
    else: ask
  typed:
    send: [{text: "To {{.Vars.address}}{{with .Location.Address}} (not {{.}}){{end}}"}]
    else: ask
`

// TestSharedLocation checks a shared location end to end: it takes the
// state's location route, its fields reach the templates as .Location and
// a handler as Event.Location and Location, the conversation keeps it through a restart
// and later moves, and a new session forgets it.
func TestSharedLocation(t *testing.T) {
	var seen *whatsapp.Location
	var kept whatsapp.Location
	h := newHarness(t, locationFlow, nil, func(r *handlers.Registry) {
		r.Register("note_place", handlers.Func(func(_ context.Context, c *handlers.Conversation) error {
			seen, kept = c.Event.Location, c.Location
			return nil
		}))
	})
	pin := whatsapp.Event{Kind: whatsapp.KindLocation, Type: "location", Location: &whatsapp.Location{
		Latitude: 18.5204, Longitude: 73.8567, Name: "Home", Address: "12 MG Road, Pune"}}

	h.text("hi")
	if got := h.send(pin); !eq(got, []string{"text:To Home, 12 MG Road, Pune (18.5204, 73.8567)"}) {
		t.Fatalf("after sharing a location: %q", got)
	}
	if seen == nil || *seen != *pin.Location || kept != *pin.Location {
		t.Errorf("handler saw Event.Location %+v and Location %+v, want %+v", seen, kept, pin.Location)
	}
	h.restart()
	h.text("again") // else: back to ask
	if got := h.text("Flat 4, Baker Street"); !eq(got, []string{"text:To Flat 4, Baker Street (not 12 MG Road, Pune)"}) {
		t.Errorf("a later move lost the location: %q", got)
	}
	if c := h.conv(); c.Location != *pin.Location {
		t.Errorf("stored location %+v, want %+v", c.Location, *pin.Location)
	}

	h.now = h.now.Add(2 * time.Hour) // past session_ttl
	h.text("hello")
	if got := h.text("Flat 4, Baker Street"); !eq(got, []string{"text:To Flat 4, Baker Street"}) {
		t.Errorf("a new session kept the old location: %q", got)
	}
}
