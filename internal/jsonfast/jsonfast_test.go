package jsonfast

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	fast "github.com/go-json-experiment/json/v1"
)

type doc struct {
	Name  string         `json:"name"`
	N     int            `json:"n"`
	Tags  []string       `json:"tags"`
	Extra map[string]any `json:"extra"`
}

// TestUnmarshalLikeEncodingJSON checks values and errors against
// encoding/json decoding into a zero value, including a wrong type (partly
// decoded, with a type error) and bad syntax.
func TestUnmarshalLikeEncodingJSON(t *testing.T) {
	for _, in := range []string{
		`{"name":"a","n":2,"tags":["x"],"extra":{"k":1.5,"l":[true,null]}}`,
		`{"NAME":"case","N":3}`,
		`{"name":"a","n":"two","tags":["x"]}`,
		`{"tags":[1],"name":"b"}`,
		`{"name":"a",`,
		`[1,2]`,
		`null`,
	} {
		var got, want doc
		err := Unmarshal([]byte(in), &got)
		wantErr := json.Unmarshal([]byte(in), &want)
		if !reflect.DeepEqual(got, want) || reflect.TypeOf(err) != reflect.TypeOf(wantErr) {
			t.Errorf("%s: got %+v, %T; want %+v, %T", in, got, err, want, wantErr)
		}
	}
}

// TestUnmarshalNotAPointer returns encoding/json's error instead of
// panicking.
func TestUnmarshalNotAPointer(t *testing.T) {
	var d doc
	if err := Unmarshal([]byte(`{}`), d); err == nil {
		t.Fatal("no error for a non-pointer")
	}
	if err := Unmarshal([]byte(`{}`), (*doc)(nil)); err == nil {
		t.Fatal("no error for a nil pointer")
	}
}

// mixed has a field of each kind souk decodes: strings, numbers, any,
// maps, slices, pointers, raw JSON and times.
type mixed struct {
	S   string            `json:"s"`
	I   int64             `json:"i"`
	F   float64           `json:"f"`
	B   bool              `json:"b"`
	A   any               `json:"a"`
	M   map[string]any    `json:"m"`
	L   []map[string]int  `json:"l"`
	P   *struct{ X int }  `json:"p"`
	R   json.RawMessage   `json:"r"`
	T   time.Time         `json:"t"`
	O   string            `json:"o,omitempty"`
	Str int               `json:"str,string"`
	E   map[string]string `json:"-"`
}

// FuzzSame holds the fast decoder to encoding/json: what it decodes
// without error, encoding/json decodes without error to the same value.
func FuzzSame(f *testing.F) {
	for _, s := range []string{
		`{"s":"a","i":1,"f":1.5e3,"b":true,"a":[1,"x",null,{"k":[]}],"m":{"v":{"w":2}},"l":[{"q":1}],"p":{"X":3},"r":{"z":[1]},"t":"2026-11-21T10:00:00.123+05:30","str":"7"}`,
		`{"S":"case","M":{"a":1,"a":2},"s":"dup","s":"last"}`,
		"{\"s\":\"\\ud800 \xff \\u00e9\",\"a\":1e400}",
		`{"i":1.0,"f":-0,"a":-0,"p":null,"r":null,"t":null}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var got, want mixed
		if fast.Unmarshal(in, &got) != nil {
			return
		}
		if err := json.Unmarshal(in, &want); err != nil {
			t.Fatalf("the fast decoder took input encoding/json rejects (%v)", err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("decoders differ:\nfast %#v\nstd  %#v", got, want)
		}
	})
}
