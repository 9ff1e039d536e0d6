package store

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/souk-commerce/souk/internal/jsonfast"
)

// readEntryCases are entries as encodeEntry writes them; fast says whether
// readEntry takes them (the rest go to the JSON decoder).
var readEntryCases = []struct {
	name string
	m    OutMessage
	fast bool
}{
	{"fresh reply", OutMessage{ID: "01J9Z8ZK3QW4T6Y8E2R5N7M9P1", Phone: "919876543210", Payload: json.RawMessage(textPayload), Queued: queued}, true},
	{"list", OutMessage{ID: "a", Phone: "919876543210", Payload: listPayload(10), Queued: queued.In(ist)}, true},
	{"retried", OutMessage{ID: "a", Phone: "1", Payload: json.RawMessage(`{"a":["}",{"b":"\"]"}]}`), Attempts: 4,
		NextAt: queued.Add(1500 * time.Millisecond), LastError: "kaleyra: 503", Queued: queued}, true},
	{"whole seconds", OutMessage{ID: "a", Payload: json.RawMessage(`[]`), Queued: queued.Truncate(time.Second)}, true},
	{"multibyte", OutMessage{ID: "🍕", Phone: "é", Payload: json.RawMessage(`{}`), LastError: "नमस्ते", Attempts: 1, Queued: queued}, true},
	{"escaped id", OutMessage{ID: `a"b\c`, Payload: json.RawMessage(`{}`), Queued: queued}, false},
	{"escaped error", OutMessage{ID: "a", Payload: json.RawMessage(`{}`), LastError: "<b>", Attempts: 1, Queued: queued}, false},
	{"invalid utf-8", OutMessage{ID: "a\xffb", Payload: json.RawMessage(`{}`), Queued: queued}, false},
	{"nil payload", OutMessage{ID: "a", Queued: queued}, false},
	{"string payload", OutMessage{ID: "a", Payload: json.RawMessage(`"x"`), Queued: queued}, false},
	{"zero time", OutMessage{ID: "a", Payload: json.RawMessage(`{}`)}, true},
	{"negative attempts", OutMessage{ID: "a", Payload: json.RawMessage(`{}`), Attempts: -3, Queued: queued}, true},
}

func TestReadEntry(t *testing.T) {
	for _, tt := range readEntryCases {
		t.Run(tt.name, func(t *testing.T) {
			raw, err := encodeEntry(tt.m)
			if err != nil {
				t.Fatal(err)
			}
			if _, fast := readEntry(string(raw)); fast != tt.fast {
				t.Errorf("readEntry took it: %v, want %v", fast, tt.fast)
			}
			got, err := decodeEntry(string(raw))
			if err != nil {
				t.Fatal(err)
			}
			requireSameEntry(t, string(raw), got, slowEntry(t, string(raw)))
		})
	}
}

func TestReadEntryRefuses(t *testing.T) {
	for _, raw := range []string{
		`{"id":"a","phone":"b","payload":{},"queued":"2025-03-14T09:26:53Z"} `,
		`{"id":"a","phone":"b","payload":{},"queued":"2025-03-14T09:26:53.50Z"}`,
		`{"id":"a","phone":"b","payload":{},"attempts":01,"queued":"2025-03-14T09:26:53Z"}`,
		`{"id":"a","phone":"b","payload":{"x":"}"},"queued":"2025-03-14T09:26:53Z"`,
		`{"phone":"b","id":"a","payload":{},"queued":"2025-03-14T09:26:53Z"}`,
		`{"id":"a","phone":"b","payload":{},"attempts":1,"attempts":2,"queued":"2025-03-14T09:26:53Z"}`,
		`{"id":"a\u0000","phone":"b","payload":{},"queued":"2025-03-14T09:26:53Z"}`,
		`{"id":"a","phone":"b","payload":null,"queued":"2025-03-14T09:26:53Z"}`,
	} {
		if m, ok := readEntry(raw); ok {
			t.Errorf("readEntry(%s) = %+v, want it left to the decoder", raw, m)
		}
	}
}

// FuzzDecodeEntry checks that an entry readEntry takes decodes to what the
// JSON decoder makes of it. The one difference allowed is a payload that
// is not JSON, which readEntry does not check (the store checked it when
// the entry was queued).
func FuzzDecodeEntry(f *testing.F) {
	for _, tt := range readEntryCases {
		raw, _ := encodeEntry(tt.m)
		f.Add(string(raw))
	}
	f.Add(`{"id":"a","phone":"b","payload":{"x":1 2},"queued":"2025-03-14T09:26:53Z"}`)
	f.Add(`{"id":"a","phone":"b","payload":{},"queued":"2025-03-14T24:00:00Z"}`)
	f.Fuzz(func(t *testing.T, raw string) {
		fast, ok := readEntry(raw)
		if !ok {
			return
		}
		var slow OutMessage
		if err := jsonfast.Unmarshal([]byte(raw), &slow); err != nil {
			if json.Valid(fast.Payload) {
				t.Fatalf("readEntry took %q, which the decoder refuses: %v", raw, err)
			}
			return
		}
		requireSameEntry(t, raw, fast, slow)
	})
}

func slowEntry(t *testing.T, raw string) OutMessage {
	t.Helper()
	var m OutMessage
	if err := jsonfast.Unmarshal([]byte(raw), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// requireSameEntry fails t unless got and want are the same message, with
// times at the same instant and offset.
func requireSameEntry(t *testing.T, raw string, got, want OutMessage) {
	t.Helper()
	sameTime := func(a, b time.Time) bool {
		_, ao := a.Zone()
		_, bo := b.Zone()
		return a.Equal(b) && ao == bo && a.IsZero() == b.IsZero()
	}
	if got.ID != want.ID || got.Phone != want.Phone || !bytes.Equal(got.Payload, want.Payload) ||
		got.Attempts != want.Attempts || got.LastError != want.LastError ||
		!sameTime(got.NextAt, want.NextAt) || !sameTime(got.Queued, want.Queued) {
		t.Fatalf("%s\n got %#v\nwant %#v", raw, got, want)
	}
}

func BenchmarkDecodeEntry(b *testing.B) {
	raw, err := encodeEntry(OutMessage{ID: "01J9Z8ZK3QW4T6Y8E2R5N7M9P1", Phone: "919876543210", Payload: listPayload(10), Queued: queued})
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range []struct {
		name string
		fn   func(string) (OutMessage, error)
	}{{"decodeEntry", decodeEntry}, {"jsonfast", func(s string) (m OutMessage, err error) {
		return m, jsonfast.Unmarshal([]byte(s), &m)
	}}} {
		b.Run(r.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(raw)))
			for b.Loop() {
				if _, err := r.fn(string(raw)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
