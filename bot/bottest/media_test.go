package bottest_test

import (
	"testing"

	"github.com/souk-commerce/souk/bot/bottest"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
)

const mediaFlow = `flow: receipts
start: ask
states:
  ask:
    send: [{text: "Send the receipt"}]
    media: got
    else: nope
  got:
    send: [{text: "Got {{.Media.Type}} {{.Media.ID}}"}]
    else: ask
  nope:
    send: [{text: "Not a file"}]
`

// TestShopperMedia checks that Shopper.Media sends a file the media route
// takes, with a made-up id when it has none, and a sticker as WhatsApp's
// decoder takes it: not a file, so to else.
func TestShopperMedia(t *testing.T) {
	f, diags := flows.Parse("receipts.yaml", []byte(mediaFlow), flows.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	b, err := bottest.New(f, bottest.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })

	s := b.Shopper("", "")
	s.Text("hi")
	bottest.AssertSent(t, s.Media(whatsapp.Media{Type: "image", ID: "55"}), bottest.Want{Kind: "text", Body: "Got image 55"})
	if m := s.Conversation().Media; m.Type != "image" || m.ID != "55" {
		t.Errorf("kept %+v", m)
	}
	s.Text("again")
	r := s.Media(whatsapp.Media{Type: "document"})
	bottest.AssertSent(t, r, bottest.Want{Kind: "text", BodyContains: "Got document media-"})
	s.Text("again")
	bottest.AssertSent(t, s.Media(whatsapp.Media{Type: "sticker"}), bottest.Want{Kind: "text", Body: "Not a file"})
}
