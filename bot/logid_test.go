package bot

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

// TestStatusOutcomeBounded checks that a status callback with an absurd
// message id and status word yields an outcome of bounded length, since
// it is logged.
func TestStatusOutcomeBounded(t *testing.T) {
	h := newShop(t)
	ev := whatsapp.Event{ID: "s1", Kind: whatsapp.KindStatus, From: h.phone,
		Status: &whatsapp.Status{MessageID: strings.Repeat("m", 1<<20), Status: strings.Repeat("s", 1<<10)}}
	res, err := h.eng.Handle(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(res.Ignored) + len(res.Status); n == 0 || n > 400 {
		t.Errorf("outcome of %d bytes: %.80q...", n, res.Ignored+res.Status)
	}
	if got := LogID(strings.Repeat("é", 100)); len(got) > maxLoggedID || !strings.HasSuffix(got, "…") {
		t.Errorf("LogID cut to %d bytes: %q", len(got), got)
	}
}

// TestBadPhoneErrorMasked: the error for a recipient that is no phone
// number, which is logged, shows it masked.
func TestBadPhoneErrorMasked(t *testing.T) {
	h := newShop(t)
	_, err := h.eng.Send(context.Background(), "91987654321099999999", whatsapp.Text{Body: "hi"})
	if !errors.Is(err, ErrBadPhone) || strings.Contains(err.Error(), "9876543210") {
		t.Errorf("error %v, want ErrBadPhone with the number masked", err)
	}
}
