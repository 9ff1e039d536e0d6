package bottest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// AssertSent fails t unless r sent exactly the wanted messages, in order,
// showing each difference and a JSON diff of wanted against sent.
func AssertSent(t testing.TB, r Reply, wants ...Want) {
	t.Helper()
	if r.Err != nil {
		t.Errorf("the event failed: %v", r.Err)
	}
	views := r.Views()
	if probs := Compare(views, wants); len(probs) > 0 {
		t.Errorf("sent messages differ:%s\n  %s\n%s", r.handlerNote(), strings.Join(probs, "\n  "), Diff(views, wants))
	}
	for i, s := range r.Sent {
		if s.Err != nil {
			t.Errorf("message %d (%s) was not accepted by Kaleyra: %v", i+1, s.View.Kind, s.Err)
		}
	}
}

// AssertKinds fails t unless r sent messages of exactly these kinds, in
// order.
func AssertKinds(t testing.TB, r Reply, kinds ...string) {
	t.Helper()
	if got := r.Kinds(); !slices.Equal(got, kinds) {
		t.Errorf("sent kinds %q, want %q%s", got, kinds, r.handlerNote())
	}
}

// HandlerNote says which handler failed in the event and why, and how many
// messages were dropped, or "": either explains a step that sent less than
// a test expects (error_text, when nothing was left to send), and the
// engine's log, which says why, is discarded unless Config.Logger is set.
func (r Reply) HandlerNote() string {
	var notes []string
	if name := r.Result.HandlerFailed; name != "" {
		why := strings.TrimPrefix(r.Result.HandlerError, fmt.Sprintf("handler %q: ", name))
		notes = append(notes, fmt.Sprintf("handler %q failed, so the shopper got the flow's error_text: %s", name, why))
	}
	if n := r.Result.Dropped; n > 0 {
		notes = append(notes, fmt.Sprintf("%d message(s) not sent: they failed to render or broke a WhatsApp limit (Config.Logger shows which)", n))
	}
	return strings.Join(notes, "; ")
}

func (r Reply) handlerNote() string {
	if n := r.HandlerNote(); n != "" {
		return " (" + n + ")"
	}
	return ""
}

// AssertNothing fails t if r sent anything.
func AssertNothing(t testing.TB, r Reply) {
	t.Helper()
	AssertKinds(t, r)
}

// AssertState fails t unless the shopper's conversation is in state.
func AssertState(t testing.TB, s *Shopper, state string) {
	t.Helper()
	if got := s.State(); got != state {
		t.Errorf("shopper %s is in state %q, want %q", s.Phone, got, state)
	}
}
