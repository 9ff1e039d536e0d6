package bot

import (
	"context"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/handlers"
)

const mediaFlow = `flow: payment
start: ask
session_ttl: 1h
states:
  ask:
    send: [{text: "Send a photo of the receipt"}]
    media: check
    text: typed
  check:
    run: note_file
    send: [{text: "Got your {{.Media.Type}} {{.Media.ID}} ({{.Media.MimeType}}, {{.Media.Caption}})"}]
    else: ask
  typed:
    send: [{text: "A photo please{{with .Media.Type}}, like the {{.}} you sent{{end}}"}]
    else: ask
`

// TestSentMedia checks a file end to end: it takes the state's media
// route, its fields reach the templates as .Media and a handler as
// Event.Media and Media, the conversation keeps it through a restart and
// later moves, and a new session forgets it.
func TestSentMedia(t *testing.T) {
	var seen *whatsapp.Media
	var kept whatsapp.Media
	h := newHarness(t, mediaFlow, nil, func(r *handlers.Registry) {
		r.Register("note_file", handlers.Func(func(_ context.Context, c *handlers.Conversation) error {
			seen, kept = c.Event.Media, c.Media
			return nil
		}))
	})
	photo := whatsapp.Event{Kind: whatsapp.KindMedia, Type: "image", Media: &whatsapp.Media{
		Type: "image", ID: "1209876543210987", MimeType: "image/jpeg", Caption: "paid", URL: "https://files.example/1.jpg"}}

	h.text("hi")
	if got := h.send(photo); !eq(got, []string{"text:Got your image 1209876543210987 (image/jpeg, paid)"}) {
		t.Fatalf("after sending a photo: %q", got)
	}
	if seen == nil || *seen != *photo.Media || kept != *photo.Media {
		t.Errorf("handler saw Event.Media %+v and Media %+v, want %+v", seen, kept, photo.Media)
	}
	h.restart()
	h.text("again") // else: back to ask
	if got := h.text("I paid cash"); !eq(got, []string{"text:A photo please, like the image you sent"}) {
		t.Errorf("a later move lost the file: %q", got)
	}
	if c := h.conv(); c.Media != *photo.Media {
		t.Errorf("stored media %+v, want %+v", c.Media, *photo.Media)
	}

	h.now = h.now.Add(2 * time.Hour) // past session_ttl
	h.text("hello")
	if got := h.text("I paid cash"); !eq(got, []string{"text:A photo please"}) {
		t.Errorf("a new session kept the old file: %q", got)
	}
}
