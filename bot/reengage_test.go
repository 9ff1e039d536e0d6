package bot

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestReengageNamesMissingFields checks that a re-engagement missing its
// required fields is refused with an error naming every one of them, not
// with whichever check happens to run first.
func TestReengageNamesMissingFields(t *testing.T) {
	h := newHarness(t, "flow: r\nstart: a\ncatalog: \"123\"\nstates:\n  a:\n    send: [{text: hi}]\n", nil, nil)
	tests := []struct {
		r    Reengagement
		want string
	}{
		{Reengagement{}, "missing to, template, language, product"},
		{Reengagement{To: h.phone, Template: "offer", Product: "p1"}, "missing language"},
		{Reengagement{To: " ", Template: "offer", Language: "en", Product: "p1"}, "missing to"},
	}
	for _, tt := range tests {
		_, err := h.eng.Reengage(context.Background(), tt.r)
		if !errors.Is(err, ErrIncompleteReengagement) || !strings.HasSuffix(err.Error(), tt.want) {
			t.Errorf("Reengage(%+v) = %v, want ErrIncompleteReengagement ending %q", tt.r, err, tt.want)
		}
	}
	if got := h.rec.take(); len(got) != 0 {
		t.Errorf("dispatched %v", got)
	}
}
