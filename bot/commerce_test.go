package bot

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/handlers"
)

const shopFlow = `flow: shop
start: home
products: products.csv
keywords: {menu: home, human: human, pay: checkout}
states:
  home:
    send: [{text: home}]
    order: thanks
    else: home
  thanks:
    run: order_summary
    send:
      - text: "{{range .Order.Items}}{{.Name}}={{.LineTotal}};{{end}} total {{.Order.Total}} {{.Order.Currency}}"
  checkout:
    run: require_cart
    send: [{text: "paying {{.Order.Total}}"}]
  human:
    run: handoff
    send: [{text: A person will answer you here.}]
`

const shopProducts = "id,name,price,currency\npz-1,Margherita,9.50,EUR\ndr-1,Lemonade,3.00,EUR\n"

func newShop(t *testing.T) *harness {
	return newHarness(t, shopFlow, map[string]string{"products.csv": shopProducts}, nil)
}

func TestOrderSummaryWithCatalogue(t *testing.T) {
	h := newShop(t)
	h.text("hi")
	got := h.order(whatsapp.OrderItem{ID: "pz-1", Quantity: 2, Price: 9.5, Currency: "EUR"},
		whatsapp.OrderItem{ID: "dr-1", Quantity: 1, Price: 3.5, Currency: "EUR"},
		whatsapp.OrderItem{ID: "zz-9", Quantity: 1, Price: 1, Currency: "EUR"})
	want := []string{
		"text:Your order:\n2 x Margherita @ 9.50 = 19.00 EUR\n1 x Lemonade @ 3.50 = 3.50 EUR\n1 x zz-9 @ 1.00 = 1.00 EUR\nTotal: 23.50 EUR",
		"text:Margherita=19;Lemonade=3.5;zz-9=1; total 23.5 EUR",
	}
	if !eq(got, want) {
		t.Fatalf("sent %q\nwant %q", got, want)
	}
	logs := h.logs.String()
	for _, w := range []string{"cart price differs from the catalogue", "product=dr-1", "catalogue_price=3", "cart item not in the catalogue", "product=zz-9"} {
		if !strings.Contains(logs, w) {
			t.Errorf("log lacks %q:\n%s", w, logs)
		}
	}
	if strings.Contains(logs, "919876543210") {
		t.Error("phone number not masked in the log")
	}
}

func TestRequireCart(t *testing.T) {
	tests := []struct {
		name      string
		cart      bool
		want      []string
		wantState string
	}{
		{"empty cart goes back", false, []string{"text:Your cart is empty. Add something from the catalogue and send it to us.", "text:home"}, "home"},
		{"with a cart", true, []string{"text:paying 9.5"}, "checkout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newShop(t)
			h.text("hi")
			if tt.cart {
				h.order(whatsapp.OrderItem{ID: "pz-1", Quantity: 1, Price: 9.5, Currency: "EUR"})
			}
			if got := h.text("pay"); !eq(got, tt.want) {
				t.Fatalf("sent %q, want %q", got, tt.want)
			}
			if s := h.conv().State; s != tt.wantState {
				t.Fatalf("state = %s", s)
			}
		})
	}
}

func TestHandoff(t *testing.T) {
	h := newShop(t)
	ctx := context.Background()
	h.text("hi")
	if got := h.text("human"); !eq(got, []string{"text:A person will answer you here."}) {
		t.Fatalf("handoff sent %q", got)
	}
	if c := h.conv(); !c.HandedOff() {
		t.Fatal("the move into the handoff state was committed without the handoff mark")
	}
	if ttl := h.convTTL(); ttl < 29*24*time.Hour {
		t.Fatalf("a handed-off conversation expires in %v: the pause would end before an operator resumes it", ttl)
	}
	h.now = h.now.Add(time.Minute)
	if got := h.text("menu"); len(got) != 0 {
		t.Fatalf("paused bot answered %q", got)
	}
	if got := h.order(whatsapp.OrderItem{ID: "pz-1", Quantity: 2}); len(got) != 0 {
		t.Fatalf("paused bot answered %q", got)
	}
	if c := h.conv(); c.State != "human" || !c.LastInbound.Equal(h.now) {
		t.Fatalf("paused conversation: state %s, last inbound %v", c.State, c.LastInbound)
	}
	was, held, err := h.eng.Resume(ctx, "+"+h.phone)
	if err != nil || !was || len(held) != 2 || held[0].Text != "menu" || held[1].Text != "cart: 2x pz-1" {
		t.Fatalf("resume: %v %+v %v", was, held, err)
	}
	if got := h.text("menu"); !eq(got, []string{"text:home"}) {
		t.Fatalf("resumed bot sent %q", got)
	}
	if ttl := h.convTTL(); ttl > 24*time.Hour {
		t.Fatalf("a resumed conversation is kept %v, longer than its session_ttl", ttl)
	}
	if was, _, _ := h.eng.Resume(ctx, h.phone); was {
		t.Fatal("resume of a conversation that is not paused reported it was")
	}
}

// TestResumeThenUnmatched checks the first message after a resume that
// the handoff state does not match: it starts over at start rather than
// entering the handoff state again, which would pause the bot at once;
// the message after that follows the flow as usual.
func TestResumeThenUnmatched(t *testing.T) {
	h := newShop(t)
	ctx := context.Background()
	h.text("hi")
	h.text("human")
	conv := h.conv()
	if !conv.HandedOff() {
		t.Fatal("not handed off")
	}
	if was, _, err := h.eng.Resume(ctx, h.phone); err != nil || !was {
		t.Fatalf("resume: %v %v", was, err)
	}
	h.now = h.now.Add(time.Minute)
	if got := h.text("thanks!"); !eq(got, []string{"text:home"}) {
		t.Fatalf("first message after the resume sent %q, want start's home", got)
	}
	if c := h.conv(); c.HandedOff() || c.State != "home" || !c.ResumedAt.IsZero() {
		t.Fatalf("after it: handed off %v, state %q, resumed at %v; want home, answering, the resume spent", c.HandedOff(), c.State, c.ResumedAt)
	}
	if got := h.text("human"); !eq(got, []string{"text:A person will answer you here."}) || !h.conv().HandedOff() {
		t.Fatalf("asking for a person again sent %q", got)
	}
}

func TestCheckWindow(t *testing.T) {
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		last time.Time
		msg  whatsapp.Message
		ok   bool
	}{
		{"text inside", now.Add(-23 * time.Hour), whatsapp.Text{Body: "x"}, true},
		{"text at exactly 24h", now.Add(-24 * time.Hour), whatsapp.Text{Body: "x"}, true},
		{"text outside", now.Add(-24*time.Hour - time.Second), whatsapp.Text{Body: "x"}, false},
		{"list outside", now.Add(-48 * time.Hour), whatsapp.List{}, false},
		{"never wrote", time.Time{}, whatsapp.Text{Body: "x"}, false},
		{"template outside", now.Add(-48 * time.Hour), whatsapp.Template{Name: "t"}, true},
		{"template never wrote", time.Time{}, whatsapp.Template{Name: "t"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckWindow("919876543210", tt.last, now, tt.msg)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
			var we *WindowError
			if err != nil && (!errors.Is(err, ErrOutsideWindow) || !errors.As(err, &we) || strings.Contains(err.Error(), "9876543")) {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

func TestWindowInTheEngine(t *testing.T) {
	h := newShop(t)
	ctx := context.Background()
	offer := whatsapp.Template{Name: "offer", Language: "en_US", CatalogID: "1", ProductID: "pz-1"}
	if _, err := h.eng.Send(ctx, h.phone, whatsapp.Text{Body: "hello"}); !errors.Is(err, ErrOutsideWindow) {
		t.Fatalf("text to a shopper who never wrote: %v", err)
	}
	if _, err := h.eng.Send(ctx, h.phone, offer); err != nil {
		t.Fatalf("template: %v", err)
	}
	if got := h.rec.take(); !eq(got, []string{"template:offer"}) {
		t.Fatalf("sent %q", got)
	}
	h.text("hi")
	if _, err := h.eng.Send(ctx, h.phone, whatsapp.Text{Body: "hello"}); err != nil {
		t.Fatalf("text inside the window: %v", err)
	}
	h.rec.take()
	h.now = h.now.Add(25 * time.Hour)
	if _, err := h.eng.Send(ctx, h.phone, whatsapp.Text{Body: "hello"}); !errors.Is(err, ErrOutsideWindow) {
		t.Fatalf("text 25h later: %v", err)
	}
	// A webhook delivered late: the event is 25 hours old, so replies are refused.
	got := h.send(whatsapp.Event{Kind: whatsapp.KindText, Text: "menu", Timestamp: h.now.Add(-25 * time.Hour)})
	if len(got) != 0 || !strings.Contains(h.logs.String(), "outside the 24-hour customer-service window") {
		t.Fatalf("late reply sent %q; log:\n%s", got, h.logs)
	}
	// The shopper writes again, but the message carries a timestamp that
	// cannot be right (1970): it counts as written now, so the reply goes.
	if got := h.send(whatsapp.Event{Kind: whatsapp.KindText, Text: "menu", Timestamp: time.Unix(-5, 0)}); len(got) == 0 {
		t.Fatal("a message with an implausible timestamp got no reply")
	}
}

func TestWrittenAt(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		ts   time.Time
		want time.Time
	}{
		{"the platform's timestamp", now.Add(-time.Hour), now.Add(-time.Hour)},
		{"a late delivery keeps its timestamp", now.Add(-30 * time.Hour), now.Add(-30 * time.Hour)},
		{"missing", time.Time{}, now},
		{"before 2010", time.Unix(-5, 0), now},
		{"ahead of our clock", now.Add(time.Hour), now},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := writtenAt(whatsapp.Event{Timestamp: tt.ts}, now); !got.Equal(tt.want) {
				t.Errorf("writtenAt = %v, want %v", got, tt.want)
			}
		})
	}
}

// convTTL is how long Redis keeps the shopper's conversation now.
func (h *harness) convTTL() time.Duration {
	h.t.Helper()
	ctx := context.Background()
	keys, err := h.st.Client().Keys(ctx, "*{"+h.phone+"}:conv").Result()
	if err != nil || len(keys) != 1 {
		h.t.Fatalf("conversation keys %v, %v", keys, err)
	}
	ttl, err := h.st.Client().PTTL(ctx, keys[0]).Result()
	if err != nil {
		h.t.Fatal(err)
	}
	return ttl
}

// TestResumeOutlivesAFailedMove checks that a move whose handler fails
// after a resume leaves the resume for the next message, as it leaves the
// rest of the conversation: that message then starts over rather than
// entering the handoff state again.
func TestResumeOutlivesAFailedMove(t *testing.T) {
	const flow = `flow: r
start: home
keywords: {human: human, pay: checkout}
states:
  home:
    send: [{text: home}]
  checkout:
    run: charge
    send: [{text: paid}]
  human:
    run: handoff
    send: [{text: person}]
`
	h := newHarness(t, flow, nil, func(r *handlers.Registry) {
		r.Register("charge", handlers.Func(func(context.Context, *handlers.Conversation) error { return errors.New("card declined") }))
	})
	ctx := context.Background()
	h.text("hi")
	h.text("human")
	if was, _, err := h.eng.Resume(ctx, h.phone); err != nil || !was {
		t.Fatalf("resume: %v %v", was, err)
	}
	if got := h.text("pay"); len(got) != 1 || h.conv().State != "human" {
		t.Fatalf("a failing pay sent %q, state %q; want the error text, the state kept", got, h.conv().State)
	}
	if got := h.text("hello?"); !eq(got, []string{"text:home"}) || h.conv().HandedOff() {
		t.Fatalf("the next message sent %q (handed off %v), want start's home", got, h.conv().HandedOff())
	}
}
