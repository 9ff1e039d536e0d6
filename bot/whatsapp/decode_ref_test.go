package whatsapp

import (
	"bytes"
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/souk-commerce/souk/internal/fuzzseed"
)

// decodeTwoPass is the decoder Decode replaced: the envelope first, with the
// entry and meta_object kept raw, then each of those again. It is kept here
// so that FuzzDecodeOnePass can check the one-pass Decode gives the same
// events and errors.
func decodeTwoPass(body []byte) ([]Event, error) {
	var env struct {
		envelope
		Entry      json.RawMessage `json:"entry"`
		MetaObject json.RawMessage `json:"meta_object"`
	}
	if err := unmarshal(body, &env); err != nil {
		return nil, err
	}
	switch {
	case env.Object != "" && env.Object != "whatsapp_business_account":
		return nil, ErrUnknownEnvelope
	case present(env.Entry, '['):
		var entries []entry
		_ = unmarshal(env.Entry, &entries)
		return metaEvents(entries), nil
	case present(env.MetaObject, '{'):
		var c change
		_ = unmarshal(env.MetaObject, &c)
		env.envelope.MetaObject = &c
		return decodeKaleyra(env.envelope), nil
	case env.Code != "" || env.Status != "":
		return []Event{noticeEvent(env.envelope, EnvelopeNotice, Metadata{})}, nil
	}
	return nil, ErrUnknownEnvelope
}

// FuzzDecodeOnePass checks Decode against decodeTwoPass. JSON with a key
// repeated (which RFC 8259 leaves undefined) may differ: the one-pass
// decoder merges a repeated entry or meta_object into the first.
func FuzzDecodeOnePass(f *testing.F) {
	fuzzseed.AddFiles(f, filepath.Join("testdata", "inbound", "*"))
	for _, s := range onePassSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := Decode(body)
		want, wantErr := decodeTwoPass(body)
		if errors.Is(err, ErrMalformed) != errors.Is(wantErr, ErrMalformed) ||
			errors.Is(err, ErrUnknownEnvelope) != errors.Is(wantErr, ErrUnknownEnvelope) ||
			(err == nil) != (wantErr == nil) {
			t.Fatalf("error %v, two-pass %v", err, wantErr)
		}
		if err != nil && err.Error() != wantErr.Error() {
			t.Fatalf("error %q, two-pass %q", err, wantErr)
		}
		if !reflect.DeepEqual(got, want) && !repeatsKey(body) {
			t.Fatalf("events\n%+v\ntwo-pass\n%+v", got, want)
		}
	})
}

// onePassSeeds are bodies on which the one-pass and the two-pass decoders
// could part ways.
var onePassSeeds = []string{`{"meta_object": [1], "code": "x"}`, `{"meta_object": "s", "status": "sent"}`,
	`{"meta_object": {}, "status": "sent"}`, `{"meta_object": null, "code": "1"}`, `{"entry": null, "meta_object": {}}`,
	`{"entry": {}, "meta_object": {"field": "x"}}`, `{"entry": [1, {"changes": 2}]}`}

// repeatsKey reports whether any JSON object in body names a key twice.
func repeatsKey(body []byte) bool {
	type frame struct {
		keys      map[string]bool // nil in an array
		expectKey bool
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	var stack []*frame
	valueDone := func() {
		if n := len(stack); n > 0 && stack[n-1].keys != nil {
			stack[n-1].expectKey = true
		}
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		top := (*frame)(nil)
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.keys != nil && top.expectKey {
			if k, ok := tok.(string); ok {
				if top.keys[k] {
					return true
				}
				top.keys[k], top.expectKey = true, false
				continue
			}
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{keys: map[string]bool{}, expectKey: true})
		case json.Delim('['):
			stack = append(stack, &frame{})
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			valueDone()
		default:
			valueDone()
		}
	}
}

// inboundSeeds returns the bodies under testdata/inbound.
func TestRepeatsKey(t *testing.T) {
	tests := []struct {
		name, body string
		want       bool
	}{
		{"flat", `{"a": 1, "b": 2}`, false},
		{"repeated", `{"a": 1, "a": 2}`, true},
		{"same key in siblings", `{"x": {"a": 1}, "y": {"a": 2}}`, false},
		{"key equal to a value", `{"a": "b", "b": "a"}`, false},
		{"repeated after a nested value", `{"a": {"b": [1, {"c": 2}]}, "a": 3}`, true},
		{"repeated inside an array", `[{"k": 1, "k": 1}]`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := repeatsKey([]byte(tt.body)); got != tt.want {
				t.Fatalf("repeatsKey(%s) = %v, want %v", tt.body, got, tt.want)
			}
		})
	}
}
