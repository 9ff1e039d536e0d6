package bot

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/store"
	"github.com/souk-commerce/souk/store/storetest"
)

// TestHeldMessagesMoveNothing checks the metrics of messages held for an
// operator: no move is counted, and one delivered twice is a dedup hit.
func TestHeldMessagesMoveNothing(t *testing.T) {
	h := newShop(t)
	m := h.restartMetered(false)
	h.text("hi")
	h.text("human")
	ev := whatsapp.Event{ID: "wamid.held", Kind: whatsapp.KindText, Text: "anyone?", From: h.phone, Timestamp: h.now}
	for range 2 {
		if _, err := h.eng.Handle(context.Background(), ev); err != nil {
			t.Fatal(err)
		}
	}
	if got := h.rec.take(); len(got) != 0 {
		t.Fatalf("a paused conversation answered %q", got)
	}
	if c := h.conv(); len(c.Held) != 1 {
		t.Fatalf("%d messages held, want the one delivered twice held once", len(c.Held))
	}
	if got := scrapeLine(t, m, `souk_transitions_total{flow="shop",from="",to=""}`); got != "" {
		t.Errorf("a held message counted as a move: %q", got)
	}
	if got := scrapeLine(t, m, `souk_dedup_hits_total`); !strings.HasSuffix(got, " 1") {
		t.Errorf("dedup hits: %q, want 1 (the held message delivered again)", got)
	}
}

// TestHeldMessageBounded checks what is kept of a message held for an
// operator: a timestamp no time can hold (one in milliseconds, say) is
// kept as when it arrived and does not break the commit, and a long text
// or cart is cut to MaxHeldText.
func TestHeldMessageBounded(t *testing.T) {
	h := newShop(t)
	h.text("hi")
	h.text("human")
	far := time.Unix(h.now.UnixMilli(), 0) // seconds read as milliseconds: year 57000
	items := make([]whatsapp.OrderItem, 5000)
	for i := range items {
		items[i] = whatsapp.OrderItem{ID: "sku-" + strings.Repeat("x", 20), Quantity: 1}
	}
	for i, ev := range []whatsapp.Event{
		{ID: "wamid.far", Kind: whatsapp.KindText, Text: "when?", Timestamp: far},
		{ID: "wamid.long", Kind: whatsapp.KindText, Text: strings.Repeat("é", 10000), Timestamp: h.now},
		{ID: "wamid.cart", Kind: whatsapp.KindOrder, Order: &whatsapp.Order{Items: items}, Timestamp: h.now},
	} {
		ev.From = h.phone
		if _, err := h.eng.Handle(context.Background(), ev); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
	}
	held := h.conv().Held
	if len(held) != 3 {
		t.Fatalf("held %d messages, want 3", len(held))
	}
	if !held[0].At.Equal(h.now) {
		t.Errorf("held at %v, want the arrival time %v", held[0].At, h.now)
	}
	for _, m := range held[1:] {
		if len(m.Text) > MaxHeldText || !utf8.ValidString(m.Text) {
			t.Errorf("held %s text of %d bytes (valid UTF-8: %v), want at most %d", m.Kind, len(m.Text), utf8.ValidString(m.Text), MaxHeldText)
		}
	}
	if !strings.HasSuffix(held[1].Text, "…") || !strings.Contains(held[2].Text, "more") {
		t.Errorf("cut texts do not say so: %q... %q", held[1].Text[:10], held[2].Text[len(held[2].Text)-20:])
	}
}

// TestReactionHeldDuringHandoff checks that a reaction while a person has
// the conversation is held for them like any other message, not dropped
// as an aside, also by a process that has not seen the conversation yet.
func TestReactionHeldDuringHandoff(t *testing.T) {
	for _, other := range []bool{false, true} {
		h := newShop(t)
		sts := storetest.MiniredisN(t, 2)
		h.st = sts[0]
		h.restart()
		h.text("hi")
		h.text("human")
		if other { // another process, whose cache does not hold the conversation
			h.st = sts[1]
			h.restart()
		}
		h.send(whatsapp.Event{Kind: whatsapp.KindOther, Type: "reaction"})
		if c := h.conv(); len(c.Held) != 1 || c.Held[0].Kind != string(whatsapp.KindOther) {
			t.Fatalf("another process %v: held %+v, want the reaction", other, c.Held)
		}
	}
}

// TestNewSessionWithoutOldCart checks that a session started after one
// expired, an aside in between or not, does not see the old cart.
func TestNewSessionWithoutOldCart(t *testing.T) {
	h := newShop(t)
	h.text("hi")
	h.order(whatsapp.OrderItem{ID: "pz-1", Quantity: 1, Price: 9.5, Currency: "EUR"})
	h.now = h.now.Add(23 * time.Hour)
	h.send(whatsapp.Event{Kind: whatsapp.KindOther, Type: "reaction"})
	h.now = h.now.Add(2 * time.Hour) // past the shop's session_ttl (24h) since the cart
	h.text("hi")
	if c := h.conv(); len(c.Order.Items) != 0 {
		t.Fatalf("the new session holds the old cart: %+v", c.Order)
	}
}

// TestAsideOfAShopperOnlyWrittenTo checks that an aside from a shopper
// whose conversation holds only what souk sent them (a re-engagement: no
// activity of theirs yet) records that they wrote.
func TestAsideOfAShopperOnlyWrittenTo(t *testing.T) {
	h := newShop(t)
	if err := h.st.Commit(context.Background(), store.Commit{Conversation: store.Conversation{Phone: h.phone}, TTL: time.Hour}); err != nil {
		t.Fatal(err)
	}
	h.send(whatsapp.Event{Kind: whatsapp.KindOther, Type: "reaction"})
	if c := h.conv(); !c.LastInbound.Equal(h.now) || !c.LastActive.IsZero() {
		t.Fatalf("after the reaction: last inbound %v, last active %v; want %v and none", c.LastInbound, c.LastActive, h.now)
	}
}

// TestAsideDeliveredTwice checks SPEC's "delivered twice ... once" for an
// aside: the second delivery of a reaction is a duplicate.
func TestAsideDeliveredTwice(t *testing.T) {
	h := newShop(t)
	h.text("hi")
	ev := whatsapp.Event{ID: "wamid.react", Kind: whatsapp.KindOther, Type: "reaction", From: h.phone, Timestamp: h.now}
	for i, wantDup := range []bool{false, true} {
		res, err := h.eng.Handle(context.Background(), ev)
		if err != nil || res.Duplicate != wantDup {
			t.Fatalf("delivery %d: %+v, %v; want duplicate %v", i+1, res, err, wantDup)
		}
	}
}

// TestHeldLocationShowsThePlace checks that a location shared while
// handed off is held with its place, so an operator can read it.
func TestHeldLocationShowsThePlace(t *testing.T) {
	h := newShop(t)
	h.text("hi")
	h.text("human")
	h.send(whatsapp.Event{Kind: whatsapp.KindLocation, Type: "location",
		Location: &whatsapp.Location{Latitude: 18.5204, Longitude: 73.8567, Name: "Home", Address: "12 MG Road, Pune"}})
	c := h.conv()
	if len(c.Held) != 1 || c.Held[0].Kind != "location" || c.Held[0].Text != "location: 18.5204,73.8567 Home 12 MG Road, Pune" {
		t.Errorf("held %+v, want the location with its place", c.Held)
	}
}

// TestHeldMediaShowsTheFile checks that each file sent while handed off is
// held with its type, name, caption, id and link, so an operator can
// fetch it: the conversation keeps only the last.
func TestHeldMediaShowsTheFile(t *testing.T) {
	h := newShop(t)
	h.text("hi")
	h.text("human")
	h.send(whatsapp.Event{Kind: whatsapp.KindMedia, Type: "document",
		Media: &whatsapp.Media{Type: "document", ID: "77", Filename: "receipt march.pdf", Caption: "paid", URL: "https://files.example/77"}})
	h.send(whatsapp.Event{Kind: whatsapp.KindMedia, Type: "image", Media: &whatsapp.Media{Type: "image", ID: "78"}})
	c := h.conv()
	want := []string{`media: document "receipt march.pdf" with caption "paid" (id 77, https://files.example/77)`, "media: image (id 78)"}
	if len(c.Held) != 2 || c.Held[0].Kind != "media" || c.Held[0].Text != want[0] || c.Held[1].Text != want[1] {
		t.Errorf("held %+v, want each file with its name, caption, id and link: %q", c.Held, want)
	}
}
