package bottest

import (
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
		t.Errorf("sent messages differ:\n  %s\n%s", strings.Join(probs, "\n  "), Diff(views, wants))
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
		t.Errorf("sent kinds %v, want %v", got, kinds)
	}
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
