package bot

import (
	"context"
	"strings"
	"testing"

	"github.com/souk-commerce/souk/bot/whatsapp"
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
