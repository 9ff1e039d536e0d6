package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// textPayload is an outbox payload as bot/outbox writes it.
const textPayload = `{"kind":"text","to":"919876543210","text":{"Body":"Hi Asha! 2 x Margherita, 1 x Lemonade \u003c3 Shall we send it?","PreviewURL":false},"extra_info":{"ref":"01J9Z8ZK3QW4T6Y8E2R5N7M9P1"}}`

var (
	queued = time.Date(2025, 3, 14, 9, 26, 53, 589793238, time.UTC)
	ist    = time.FixedZone("IST", 5*3600+30*60)
)

// requireSameAsMarshal fails t unless encodeEntry(m) returns what
// json.Marshal(m) returns: the same bytes, or an error with the same text.
func requireSameAsMarshal(t *testing.T, m OutMessage) {
	t.Helper()
	got, gotErr := encodeEntry(m)
	want, wantErr := json.Marshal(m)
	if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || gotErr == nil && !bytes.Equal(got, want) {
		t.Fatalf("encodeEntry(%#v)\n got %s, %v\nwant %s, %v", m, got, gotErr, want, wantErr)
	}
}

func TestEncodeEntrySameAsMarshal(t *testing.T) {
	tests := []struct {
		name    string
		m       OutMessage
		wantErr bool
	}{
		{name: "plain", m: OutMessage{ID: "01J9Z8ZK3QW4T6Y8E2R5N7M9P1", Phone: "919876543210", Payload: json.RawMessage(textPayload), Queued: queued}},
		{name: "quotes and backslashes", m: OutMessage{ID: `a"b\c`, Phone: `\"`, LastError: `say "hi" \n`, Attempts: 1, Queued: queued}},
		{name: "html characters", m: OutMessage{ID: "<id>&", Phone: "9198<>", LastError: "<b>a & b</b>", Attempts: 2, Queued: queued}},
		{name: "control characters", m: OutMessage{ID: "a\x00\x01\x1f\x7f", Phone: "\b\f\n\r\t", LastError: "line\nnext\ttab\x0b", Attempts: 3, Queued: queued}},
		{name: "line and paragraph separators", m: OutMessage{ID: "a\u2028b\u2029c", LastError: "\u2028", Queued: queued}},
		{name: "invalid utf-8", m: OutMessage{ID: "a\xffb", Phone: "\xc3", LastError: "\xed\xa0\x80 \xf4\x90\x80\x80", Queued: queued}},
		{name: "multibyte utf-8", m: OutMessage{ID: "🍕", Phone: "é", LastError: "नमस्ते", Queued: queued}},
		{name: "payload array", m: OutMessage{ID: "a", Payload: json.RawMessage(`[1,"x",{"y":[true,false,null]}]`), Queued: queued}},
		{name: "payload string", m: OutMessage{ID: "a", Payload: json.RawMessage(`"a \"b\" \\ c"`), Queued: queued}},
		{name: "payload number", m: OutMessage{ID: "a", Payload: json.RawMessage(`-12.5e+3`), Queued: queued}},
		{name: "payload null", m: OutMessage{ID: "a", Payload: json.RawMessage(`null`), Queued: queued}},
		{name: "payload nil", m: OutMessage{ID: "a", Queued: queued}},
		{name: "payload empty", m: OutMessage{ID: "a", Payload: json.RawMessage{}, Queued: queued}, wantErr: true},
		{name: "payload not compact", m: OutMessage{ID: "a", Payload: json.RawMessage("{\n  \"a\": [1, 2],\t\"b\":\r\"c d\" }"), Queued: queued}},
		{name: "payload to escape for html", m: OutMessage{ID: "a", Payload: json.RawMessage(`{"a":"<b>&amp;\u2028` + "\u2028\u2029" + `"}`), Queued: queued}},
		{name: "payload with invalid utf-8", m: OutMessage{ID: "a", Payload: json.RawMessage("\"a\xffb\""), Queued: queued}},
		{name: "payload invalid", m: OutMessage{ID: "a", Payload: json.RawMessage(`{"a":`), Queued: queued}, wantErr: true},
		{name: "payload two values", m: OutMessage{ID: "a", Payload: json.RawMessage(`1 2`), Queued: queued}, wantErr: true},
		{name: "retried", m: OutMessage{ID: "a", Payload: json.RawMessage(`{}`), Attempts: 4, NextAt: queued.Add(time.Second), LastError: "503", Queued: queued}},
		{name: "negative attempts", m: OutMessage{ID: "a", Attempts: -1, Queued: queued}},
		{name: "zero times", m: OutMessage{ID: "a"}},
		{name: "zero next at in a zone", m: OutMessage{ID: "a", NextAt: time.Time{}.In(ist), Queued: queued}},
		{name: "whole seconds", m: OutMessage{ID: "a", Queued: queued.Truncate(time.Second)}},
		{name: "trailing zeros", m: OutMessage{ID: "a", Queued: queued.Truncate(time.Millisecond)}},
		{name: "zone", m: OutMessage{ID: "a", NextAt: queued.In(ist), Queued: queued.In(time.FixedZone("", -(3*3600 + 30*60)))}},
		{name: "zone offset with seconds", m: OutMessage{ID: "a", Queued: queued.In(time.FixedZone("LMT", 1172))}},
		{name: "monotonic clock", m: OutMessage{ID: "a", Queued: time.Now()}},
		{name: "year 0 and 9999", m: OutMessage{ID: "a", NextAt: time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), Queued: time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)}},
		{name: "year 10000", m: OutMessage{ID: "a", Queued: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}, wantErr: true},
		{name: "year -1", m: OutMessage{ID: "a", Queued: queued, NextAt: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)}, wantErr: true},
		{name: "zone offset of 24 hours", m: OutMessage{ID: "a", Queued: queued.In(time.FixedZone("", -24*3600))}, wantErr: true},
		{name: "zone offset under 24 hours", m: OutMessage{ID: "a", Queued: queued.In(time.FixedZone("", 24*3600-1))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireSameAsMarshal(t, tt.m)
			if _, err := encodeEntry(tt.m); (err != nil) != tt.wantErr {
				t.Fatalf("error %v, want one: %v", err, tt.wantErr)
			}
		})
	}
}

// TestPayloadAsIs checks that the usual payloads are written without
// json.Marshal, and that the others are left to it.
func TestPayloadAsIs(t *testing.T) {
	tests := []struct {
		name    string
		payload []byte
		want    bool
	}{
		{"nil", nil, true},
		{"outbox payload", []byte(textPayload), true},
		{"scalars", []byte(`[null,true,false,-0.5e-7,"",{}]`), true},
		{"spaces and escapes in strings", []byte(`{"a b":"c \" d \\","e":"\u2028 \u003c"}`), true},
		{"empty", []byte{}, false},
		{"space between tokens", []byte(`{"a": 1}`), false},
		{"space after an escaped quote", []byte(`["\"", 1]`), false},
		{"leading newline", []byte("\n1"), false},
		{"html characters", []byte(`"<&>"`), false},
		{"line separator", []byte("\"\u2028\""), false},
		{"paragraph separator", []byte("\"\u2029\""), false},
		{"invalid", []byte(`{"a"}`), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := payloadAsIs(tt.payload); got != tt.want {
				t.Fatalf("payloadAsIs(%q) = %v, want %v", tt.payload, got, tt.want)
			}
		})
	}
}

// listPayload is a larger outbox payload: a list of rows rows.
func listPayload(rows int) json.RawMessage {
	var b strings.Builder
	b.WriteString(`{"kind":"list","to":"919876543210","list":{"Header":"Menu","Body":"Pick a pizza","Button":"Pizzas","Sections":[{"Title":"Classics","Rows":[`)
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"ID":"pizza_%d","Title":"Pizza %d","Description":"Tomato, mozzarella \u0026 basil, 12 inch"}`, i, i)
	}
	b.WriteString(`]}]},"extra_info":{"ref":"01J9Z8ZK3QW4T6Y8E2R5N7M9P1"}}`)
	return json.RawMessage(b.String())
}

func BenchmarkEncodeEntry(b *testing.B) {
	for _, p := range []struct {
		name    string
		payload json.RawMessage
	}{{"text", json.RawMessage(textPayload)}, {"list", listPayload(10)}} {
		m := OutMessage{ID: "01J9Z8ZK3QW4T6Y8E2R5N7M9P1", Phone: "919876543210", Payload: p.payload, Queued: queued}
		for _, enc := range []struct {
			name string
			fn   func(OutMessage) ([]byte, error)
		}{{"encodeEntry", encodeEntry}, {"json.Marshal", func(m OutMessage) ([]byte, error) { return json.Marshal(m) }}} {
			b.Run(p.name+"/"+enc.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(p.payload)))
				for b.Loop() {
					if _, err := enc.fn(m); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// TestEncodeEntryMarshaled checks that a payload json.Marshal wrote, queued
// without the check (Marshaled), makes the entry the check would have.
func TestEncodeEntryMarshaled(t *testing.T) {
	payload, err := json.Marshal(map[string]any{"text": "<b>Tom & Jerry</b> \u2028 \"quoted\" \\ é 🍕", "n": []int{1, 2}})
	if err != nil {
		t.Fatal(err)
	}
	m := OutMessage{ID: "a", Phone: "919876543210", Payload: payload, Queued: queued}
	want, err := encodeEntry(m)
	if err != nil {
		t.Fatal(err)
	}
	m.Marshaled = true
	if got, err := encodeEntry(m); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("Marshaled entry\n got %s, %v\nwant %s", got, err, want)
	}
}
