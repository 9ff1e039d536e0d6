package webhook

import (
	"testing"

	"github.com/souk-commerce/souk/internal/fuzzseed"
)

// FuzzWebhook posts arbitrary bodies to a server running the pizzeria on a
// real engine: the answer is 200 or 400 with a JSON body, never a 5xx, and
// nothing panics.
func FuzzWebhook(f *testing.F) {
	fuzzseed.AddFiles(f, "../whatsapp/testdata/inbound/*")
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
