package webhook

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzWebhook posts arbitrary bodies to a server running the pizzeria on a
// real engine: the answer is 200 or 400 with a JSON body, never a 5xx, and
// nothing panics.
func FuzzWebhook(f *testing.F) {
	files, err := filepath.Glob("../whatsapp/testdata/inbound/*")
	if err != nil || len(files) == 0 {
		f.Fatalf("no seeds: %v", err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	rs := newRealServer(f, "")
	f.Fuzz(func(t *testing.T, body []byte) {
		rs.logs.Reset()
		rec := post(rs, string(body))
		switch rec.Code {
		case 200:
		case 400:
			errorBody(t, rec)
		default:
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		if n := panicsCounted(t, rs); n != 0 {
			t.Fatalf("%d panics:\n%s", n, rs.logs)
		}
	})
}
