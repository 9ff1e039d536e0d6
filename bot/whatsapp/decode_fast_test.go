package whatsapp

import (
	"bytes"
	"encoding/json"
	"math/bits"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/souk-commerce/souk/internal/fuzzseed"
)

// FuzzScanSame holds scanEnvelope to decodeReflect: on a body it takes,
// the wire types, the events, the envelope and the error must be the same,
// and none of its strings may share memory with the body. It also holds
// DecodeEnvelope to decodeReflect, before and after the scratch it used
// was reused.
func FuzzScanSame(f *testing.F) {
	fuzzseed.AddFiles(f, filepath.Join("testdata", "inbound", "*"))
	for _, seeds := range [][]string{sameSeeds, onePassSeeds, lenientSeeds, edgeSeeds} {
		for _, s := range seeds {
			f.Add([]byte(s))
		}
	}
	batch, err := os.ReadFile(filepath.Join("testdata", "inbound", "meta_batch.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		checkScanSame(t, body)
		got, gotEnv, gotErr := DecodeEnvelope(body)
		checkSameAsReflect(t, body, got, gotEnv, gotErr)
		_, _, _ = DecodeEnvelope(batch)
		checkSameAsReflect(t, body, got, gotEnv, gotErr)
	})
}

// checkScanSame fails unless scanEnvelope either gives up on body or reads
// it exactly as decodeReflect does, and reports whether it took the body.
func checkScanSame(t *testing.T, body []byte) bool {
	t.Helper()
	mine := bytes.Clone(body)
	env, ok := scanEnvelope(mine, new(scratch))
	if !ok {
		return false
	}
	clear(mine) // the strings read must not change with the body
	var ref envelope
	if err := unmarshal(body, &ref); err != nil {
		t.Fatalf("scanEnvelope took a body decodeReflect rejects: %v", err)
	}
	if !reflect.DeepEqual(env, ref) {
		t.Fatalf("wire types differ:\nscan    %+v\nreflect %+v", env, ref)
	}
	got, gotEnv, gotErr := env.events(func() bool { return true })
	checkSameAsReflect(t, body, got, gotEnv, gotErr)
	return true
}

// checkSameAsReflect fails unless decodeReflect decodes body to events,
// env and err.
func checkSameAsReflect(t *testing.T, body []byte, events []Event, env Envelope, err error) {
	t.Helper()
	want, wantEnv, wantErr := decodeReflect(body)
	if errorText(err) != errorText(wantErr) || env != wantEnv || !reflect.DeepEqual(events, want) {
		t.Fatalf("got %v, %q, %+v\ndecodeReflect gives %v, %q, %+v", err, env, events, wantErr, wantEnv, want)
	}
}

// errorText is the text of err, "" for none.
func errorText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// lenientSeeds are bodies scanEnvelope takes although encoding/json has
// to be lenient with them: values of unexpected types, escapes, invalid
// UTF-8, keys it skips.
var lenientSeeds = []string{
	`{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"messages":[{"from":"\u0039\u0031","type":"text","text":{"body":"caf\u00e9 \"x\" \ud83d\ude00 \ud800"}}]}}]}]}`,
	"{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"value\":{\"messages\":[{\"from\":\"91\xff\",\"type\":\"text\",\"text\":{\"body\":\"na\xc3\xafve \xe2\x98\x95\"}}]}}]}]}",
	`{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"messages":[{"from":919,"id":true,"timestamp":1.7e9,"type":"image","image":"x","video":null,"audio":[1],"document":{"id":7}}]}}]}]}`,
	`{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"messages":[{"type":"location","location":{"latitude":"18.5","longitude":-0.0e-1,"name":{"x":1}}}]}}]}]}`,
	`{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"messages":[{"type":"order","order":{"product_items":[null,"x",{"product_retailer_id":"p","quantity":" 2 ","item_price":"1e2"}]}}]}}]}]}`,
	`{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"unknown":{"a":[1,{"b":"\n","ключ":"\u00e9"}],"c":-0.5E+3},"messages":[]}}]}]}`,
	`{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"statuses":[{"id":"s","status":"FAILED","errors":[{"code":1,"error_data":{"details":"d"}}]}],"errors":{}}}]}]}`,
	`{"meta_object":{"field":"messages","value":{"messages":[{"type":"image","image":{"id":"1"}}]}},"extra_info":{"media_url":"https://k/x.jpg"}}`,
	`{"meta_object":{},"status":"sent","message_id":"m"}`,
	`{"entry":[],"extra_info":1,"code":2}`,
	"\t{\"code\" :\r\n\"c\" }\n", `null`, `"s"`, `[]`, `{}`, `[{"entry": []}]`,
}

// edgeSeeds are bodies scanEnvelope gives up on, or nearly so.
var edgeSeeds = []string{
	`{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"messages":[{"from":"1","Type":"text","type":"text"}]}}]}]}`,
	`{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"messages":[{"from":"1","from":"2"}]}}]}]}`,
	`{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"messages":[{"from_user-id":"x","type":"text"}]}}]}]}`,
	`{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"messages":[{"\u0066rom":"1","type":"text"}]}}]}]}`,
	`{"meta_object":"x","status":"sent"}`,
	`{"ſtatus":"x","K":"y","code":"c"}`,
	`{"entry":[1,]}`, `{"entry":[01]}`, "{\"code\":\"\x01\"}", `{"code":"\q"}`, `{"code":tru}`, `{"code":1.}`, `{"code":-}`,
	`{"code":"c"} x`, `{"code":"c",}`, `{,}`, `{"a" 1}`, `[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]`,
}

// TestScanTakesInbound checks that scanEnvelope takes every well-formed
// body under testdata/inbound, the ones the hot path sees among them:
// giving up on one would silently cost the speed it is there for.
func TestScanTakesInbound(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "inbound", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no inbound bodies: %v", err)
	}
	for _, name := range files {
		base := filepath.Base(name)
		t.Run(base, func(t *testing.T) {
			body, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			took := checkScanSame(t, body)
			if want := !strings.HasPrefix(base, "malformed_"); took != want {
				t.Fatalf("scanEnvelope took the body: %v, want %v", took, want)
			}
		})
	}
}

// TestScanGivesUp checks bodies that scanEnvelope must leave to
// decodeReflect, and that DecodeEnvelope still decodes them as that does.
func TestScanGivesUp(t *testing.T) {
	const meta = `{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"messages":[%s]}}]}]}`
	tests := []struct{ name, body string }{
		{"key in another case", strings.Replace(meta, "%s", `{"from":"1","Type":"text"}`, 1)},
		{"key with other underscores", strings.Replace(meta, "%s", `{"fromuserid":"x"}`, 1)},
		{"key folding to one past ASCII", `{"ſtatus":"sent","code":"c"}`},
		{"key with an escape", strings.Replace(meta, "%s", `{"\u0066rom":"1"}`, 1)},
		{"field named twice", strings.Replace(meta, "%s", `{"from":"1","from":"2"}`, 1)},
		{"array named twice", `{"entry":[],"entry":[{"changes":[]}]}`},
		{"meta_object not an object", `{"meta_object":"x","status":"sent"}`},
		{"too deep", `{"x":` + strings.Repeat("[", maxScanDepth) + strings.Repeat("]", maxScanDepth) + `}`},
		{"trailing comma", `{"code":"c",}`},
		{"leading zero", `{"code":01}`},
		{"bad escape", `{"code":"\q"}`},
		{"control byte in a string", "{\"code\":\"a\nb\"}"},
		{"bad literal", `{"code":nul}`},
		{"empty fraction", `{"code":1.}`},
		{"second value", `{"code":"c"} {}`},
		{"truncated", `{"code":"c"`},
		{"empty", ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, ok := scanEnvelope([]byte(tt.body), new(scratch)); ok {
				t.Fatalf("scanEnvelope took %s", tt.body)
			}
			got, gotEnv, gotErr := DecodeEnvelope([]byte(tt.body))
			want, wantEnv, wantErr := decodeReflect([]byte(tt.body))
			if errorText(gotErr) != errorText(wantErr) || gotEnv != wantEnv || !reflect.DeepEqual(got, want) {
				t.Fatalf("DecodeEnvelope gives %v, %q, %+v; decodeReflect %v, %q, %+v", gotErr, gotEnv, got, wantErr, wantEnv, want)
			}
		})
	}
}

// TestScanTakesLenient checks that scanEnvelope takes the lenient seeds
// and reads them as decodeReflect does.
func TestScanTakesLenient(t *testing.T) {
	for _, s := range lenientSeeds {
		if !checkScanSame(t, []byte(s)) {
			t.Errorf("scanEnvelope gave up on %s", s)
		}
	}
}

// TestScratchReuse checks that the events of a body stay as they are when
// the scratch their wire values were read into is reused.
func TestScratchReuse(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "inbound", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var bodies [][]byte
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, b)
	}
	type decoded struct {
		events []Event
		env    Envelope
		err    error
	}
	got := make([]decoded, len(bodies))
	for i, b := range bodies {
		got[i].events, got[i].env, got[i].err = DecodeEnvelope(b)
	}
	for i, b := range bodies {
		checkSameAsReflect(t, b, got[i].events, got[i].env, got[i].err)
	}
}

// TestNotPlain checks notPlain against a byte-by-byte scan for every byte
// value at every place in a word, after plain bytes and before any.
func TestNotPlain(t *testing.T) {
	for _, fill := range []byte{'a', ' ', '~', 0x7f} {
		for at := range 8 {
			for c := range 256 {
				w := bytes.Repeat([]byte{fill}, 8)
				w[at] = byte(c)
				want := slices.IndexFunc(w, func(b byte) bool { return !plain[b] })
				if want < 0 {
					want = 8
				}
				if got := bits.TrailingZeros64(notPlain(leWord(w))) / 8; got != want {
					t.Fatalf("notPlain(%q) finds byte %d, want %d", w, got, want)
				}
			}
		}
	}
}

// TestSkipRuns checks skipPlain and skipSpaces against byte-by-byte scans,
// for runs of every length up to three words, ended by each kind of byte
// or by the end of the input, and started at several offsets.
func TestSkipRuns(t *testing.T) {
	for _, end := range []string{"", "\"", "\\", "\n", "\x01", "\xc3\xa9", "x", " "} {
		for n := range 25 {
			for _, from := range []int{0, 1, 5} {
				text := strings.Repeat("#", from) + strings.Repeat("a", n) + end + "tail"
				if got, want := skipPlain([]byte(text), from), from+n+plainPrefix(end); got != want {
					t.Errorf("skipPlain(%q, %d) = %d, want %d", text, from, got, want)
				}
				spaces := strings.Repeat("#", from) + strings.Repeat(" ", n) + end
				if got, want := skipSpaces([]byte(spaces), from), from+n+spacePrefix(end); got != want {
					t.Errorf("skipSpaces(%q, %d) = %d, want %d", spaces, from, got, want)
				}
			}
		}
	}
}

// plainPrefix is how many bytes of end a string holds as they are before
// the first it does not, the "tail" after it included when all are.
func plainPrefix(end string) int {
	if i := strings.IndexFunc(end+"tail", func(r rune) bool { return r >= 0x80 || !plain[r] }); i >= 0 {
		return i
	}
	return len(end + "tail")
}

// spacePrefix is how many spaces end starts with.
func spacePrefix(end string) int { return len(end) - len(strings.TrimLeft(end, " ")) }

func leWord(b []byte) uint64 {
	var w uint64
	for i := range 8 {
		w |= uint64(b[i]) << (8 * i)
	}
	return w
}

// TestDecodeAllocs keeps the hot path's allocations few: one buffer for
// all strings and the events' slice, the wire slices being reused (as
// DecodeEnvelope reuses them through a pool, which the race detector
// empties at random), whether a body is indented or not.
func TestDecodeAllocs(t *testing.T) {
	for _, file := range []string{"meta_text.json", "meta_list_reply.json", "meta_button_reply.json",
		"meta_template_button.json", "kaleyra_text.json", "kaleyra_button_reply.json", "kaleyra_list_reply.json"} {
		body, err := os.ReadFile(filepath.Join("testdata", "inbound", file))
		if err != nil {
			t.Fatal(err)
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, body); err != nil {
			t.Fatal(err)
		}
		spare := new(scratch)
		for _, b := range [][]byte{body, compact.Bytes()} {
			n := testing.AllocsPerRun(100, func() {
				_, _, _ = decode(b, spare)
				spare.reset()
			})
			if n > 2 {
				t.Errorf("%s (%d bytes): DecodeEnvelope allocates %v times, want at most 2", file, len(b), n)
			}
		}
	}
}
