package bot

import "testing"

// TestNewIDIsNoFlag checks that souk's message ids never start with - or
// _, so that `souk outbox status ID` does not take one for a flag, and
// that they stay 16 URL-safe characters and distinct.
func TestNewIDIsNoFlag(t *testing.T) {
	seen := map[string]bool{}
	for range 20000 { // a first - or _ would show about 600 times
		id := newID()
		if len(id) != 16 || id[0] == '-' || id[0] == '_' || seen[id] {
			t.Fatalf("id %q: want 16 characters, not starting with - or _, never repeated", id)
		}
		seen[id] = true
	}
}
