package whatsapp

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func FuzzDecode(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "inbound", "*"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		events, err := Decode(body)
		switch {
		case err == nil, errors.Is(err, ErrUnknownEnvelope):
		case errors.Is(err, ErrMalformed):
			if _, ok := errors.AsType[*SyntaxError](err); !ok {
				t.Fatalf("malformed error %v is not a *SyntaxError", err)
			}
		default:
			t.Fatalf("unexpected error %v", err)
		}
		if err != nil && len(events) > 0 {
			t.Fatalf("%d events with error %v", len(events), err)
		}
		for _, ev := range events {
			checkEvent(t, ev)
		}
	})
}

// checkEvent fails on an event that breaks what callers rely on.
func checkEvent(t *testing.T, ev Event) {
	t.Helper()
	if ev.Envelope == "" {
		t.Fatalf("event without envelope: %+v", ev)
	}
	if (ev.Kind == KindStatus) != (ev.Status != nil) {
		t.Fatalf("kind %s with status %v", ev.Kind, ev.Status)
	}
	if (ev.Kind == KindOrder) != (ev.Order != nil) {
		t.Fatalf("kind %s with order %v", ev.Kind, ev.Order)
	}
	if ev.Order != nil {
		_ = ev.Order.Total()
	}
}
