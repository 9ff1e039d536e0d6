package kaleyra

import (
	"testing"

	"github.com/souk-commerce/souk/internal/fuzzseed"
)

// messageIDInputs are answers of every shape the tests know, for the table
// below and as fuzz seeds.
var messageIDInputs = []string{
	accepted,
	`{"code":"WA200","data":{"message_id":"M1"}}`,
	`{"code":"WA202","data":[]}`,
	`{"code":"WA202","data":{"message_id":7}}`,
	`{"code":202,"data":{"message_id":"M2"}}`,
	` [{"data":{"message_id":"M3"}}]`,
	"<html>accepted</html>",
	``,
	`null`,
	`{}`,
	`{"data":null}`,
	`{"data":{"message_id":"A"},"data":{}}`,
	`{"data":{"message_id":"A","message_id":"B"}}`,
	`{"Data":{"message_id":"A"}}`,
	`{"data":{"Message_ID":"A"}}`,
	"{\"data\":{\"me\xc5\xbfsage_id\":\"A\"}}",
	`{"data":{"message_id":"A\u0042"}}`,
	`{"data":{"message_id":"A"}} x`,
	`{"data":{"message_id":"A"},}`,
	`{"data":{"message_id":"A"},"n":-0.5e+3,"m":[true,false,null,{"k":[]}]}`,
	`{"data":{"message_id":"A"},"n":01}`,
	`{"data":{"message_id":"A"},"error":{"to":"bad"` + "\t" + `}}`,
	`{"code":"WA202" "data":{"message_id":"B"}}`,
}

// TestPlainMessageID says which answers take the fast path, and that they
// read as the slow path reads them.
func TestPlainMessageID(t *testing.T) {
	tests := []struct {
		name, in string
		wantOK   bool
	}{
		{name: "accept", in: accepted, wantOK: true},
		{name: "indented", in: string(readTestdata(t, "success/wa202.json")), wantOK: true},
		{name: "no data", in: `{"code":"WA202"}`, wantOK: true},
		{name: "other values", in: `{"data":{"message_id":"A","n":[1,-2.5e3,{}]},"ok":true,"x":null}`, wantOK: true},
		{name: "seed with missing commas", in: string(readTestdata(t, "success/wa202-seed.txt"))},
		{name: "escape", in: `{"data":{"message_id":"A\u0042"}}`},
		{name: "non-ASCII", in: `{"message":"accepté","data":{"message_id":"A"}}`},
		{name: "folded key", in: `{"DATA":{"message_id":"A"}}`},
		{name: "duplicate data", in: `{"data":{"message_id":"A"},"data":{}}`},
		{name: "duplicate id", in: `{"data":{"message_id":"A","message_id":"B"}}`},
		{name: "id a number", in: `{"data":{"message_id":7}}`},
		{name: "data null", in: `{"data":null}`},
		{name: "array", in: `[{"data":{"message_id":"A"}}]`},
		{name: "trailing data", in: `{"data":{"message_id":"A"}}{}`},
		{name: "bad number", in: `{"n":1.,"data":{"message_id":"A"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, ok := plainMessageID([]byte(tt.in))
			if ok != tt.wantOK {
				t.Fatalf("plainMessageID(%s) ok = %v, want %v", tt.in, ok, tt.wantOK)
			}
			if want := decodedMessageID([]byte(tt.in)); ok && id != want {
				t.Errorf("plainMessageID(%s) = %q, want %q", tt.in, id, want)
			}
		})
	}
}

// FuzzMessageID holds messageID, fast path included, to the decoding it
// had before the fast path: the same id for every input.
func FuzzMessageID(f *testing.F) {
	for _, s := range messageIDInputs {
		f.Add([]byte(s))
	}
	fuzzseed.AddFiles(f, "testdata/success/*")
	fuzzseed.AddFiles(f, "testdata/errors/*")
	f.Fuzz(func(t *testing.T, raw []byte) {
		if got, want := messageID(raw), decodedMessageID(raw); got != want {
			t.Errorf("messageID(%q) = %q, want %q", raw, got, want)
		}
	})
}
