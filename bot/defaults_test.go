package bot

import (
	"context"
	"strings"
	"testing"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/handlers"
)

// defaultsFlow has a templated flow-level catalog and extra_info refs.
const defaultsFlow = `flow: t
start: a
catalog: "cat-{{.Vars.region}}"
extra_info: {ref: "{{.Vars.order}}", ref1: "shop-{{.Phone}}", ref2: plain, wa_source: api}
states:
  a:
    run: set_region
    send:
      - product: {product: p1, body: Hi}
`

// TestFlowDefaultsAreRendered checks that the flow's catalog and
// extra_info refs are rendered per conversation, like every other string,
// and that a ref rendering empty falls back to souk's own id.
func TestFlowDefaultsAreRendered(t *testing.T) {
	var order string
	h := newHarness(t, defaultsFlow, nil, func(r *handlers.Registry) {
		r.Register("set_region", handlers.Func(func(_ context.Context, c *handlers.Conversation) error {
			c.Set("region", "eu")
			if order != "" {
				c.Set("order", order)
			}
			return nil
		}))
	})
	for _, tt := range []struct{ order, wantRef string }{{"", ""}, {"ord-7", "ord-7"}} {
		order = tt.order
		h.text("hi")
		out := h.rec.lastTaken(t)
		p, ok := out.Message.(whatsapp.Product)
		if !ok || p.CatalogID != "cat-eu" {
			t.Fatalf("message = %#v, want a product from catalog cat-eu", out.Message)
		}
		x := out.ExtraInfo
		if x.Ref1 != "shop-"+h.phone || x.Ref2 != "plain" || x.WASource != "api" {
			t.Errorf("extra_info = %+v", x)
		}
		if want := tt.wantRef; want == "" && x.Ref != out.ID || want != "" && x.Ref != want {
			t.Errorf("order %q: ref = %q, want %q (souk's id %q when empty)", tt.order, x.Ref, want, out.ID)
		}
	}
	if strings.Contains(h.logs.String(), "not rendered") {
		t.Errorf("unexpected render error: %s", h.logs)
	}
}

// lastTaken returns the last message the last take returned.
func (r *recorder) lastTaken(t *testing.T) whatsapp.Outbound {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.taken) == 0 {
		t.Fatal("nothing was dispatched")
	}
	return r.taken[len(r.taken)-1]
}
