package simulator

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

func TestActionEnvelopeDecodes(t *testing.T) {
	now := time.Unix(1763712000, 0)
	tests := []struct {
		name   string
		action Action
		want   whatsapp.Event
	}{
		{name: "typed text", action: Action{Phone: "+919876543210", Name: "Asha", Type: "text", Text: "hello"},
			want: whatsapp.Event{Kind: whatsapp.KindText, Type: "text", Text: "hello"}},
		{name: "list row", action: Action{Phone: "919876543210", Name: "Asha", Type: "list_reply", ID: "pizzas", Text: "Pizzas"},
			want: whatsapp.Event{Kind: whatsapp.KindListReply, Type: "interactive", ReplyID: "pizzas", Text: "Pizzas"}},
		{name: "reply button", action: Action{Phone: "919876543210", Name: "Asha", Type: "button_reply", ID: "menu", Text: "Main menu"},
			want: whatsapp.Event{Kind: whatsapp.KindButtonReply, Type: "interactive", ReplyID: "menu", Text: "Main menu"}},
		{name: "tap on a message", action: Action{Phone: "919876543210", Name: "Asha", Type: "list_reply", ID: "pizzas", Text: "Pizzas", Context: "wamid.SIMOUTAB.3"},
			want: whatsapp.Event{Kind: whatsapp.KindListReply, Type: "interactive", ReplyID: "pizzas", Text: "Pizzas", ContextID: "wamid.SIMOUTAB.3"}},
		{name: "cart", action: Action{Phone: "919876543210", Name: "Asha", Type: "order", CatalogID: "1033000049", Items: []CartItem{
			{ProductRetailerID: "pz-margherita", Quantity: 2, ItemPrice: 9.5, Currency: "EUR"},
			{ProductRetailerID: "pz-diavola", Quantity: 1, ItemPrice: 11, Currency: "EUR"}}},
			want: whatsapp.Event{Kind: whatsapp.KindOrder, Type: "order", Order: &whatsapp.Order{CatalogID: "1033000049", Items: []whatsapp.OrderItem{
				{ID: "pz-margherita", Quantity: 2, Price: 9.5, Currency: "EUR"}, {ID: "pz-diavola", Quantity: 1, Price: 11, Currency: "EUR"}}}}},
		{name: "location", action: Action{Phone: "919876543210", Name: "Asha", Type: "location", Location: &whatsapp.Location{
			Latitude: -33.8688, Longitude: 151.2093, Name: "Office", Address: "1 Macquarie St, Sydney"}},
			want: whatsapp.Event{Kind: whatsapp.KindLocation, Type: "location", Location: &whatsapp.Location{
				Latitude: -33.8688, Longitude: 151.2093, Name: "Office", Address: "1 Macquarie St, Sydney"}}},
		{name: "photo", action: Action{Phone: "919876543210", Name: "Asha", Type: "media", Media: &whatsapp.Media{
			Type: "image", ID: "77", MimeType: "image/jpeg", Caption: "paid"}},
			want: whatsapp.Event{Kind: whatsapp.KindMedia, Type: "image", Media: &whatsapp.Media{Type: "image", ID: "77", MimeType: "image/jpeg", Caption: "paid"}}},
		{name: "document", action: Action{Phone: "919876543210", Name: "Asha", Type: "media", Media: &whatsapp.Media{
			Type: "document", ID: "78", Filename: "receipt.pdf"}},
			want: whatsapp.Event{Kind: whatsapp.KindMedia, Type: "document", Media: &whatsapp.Media{Type: "document", ID: "78", Filename: "receipt.pdf"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.action.Validate(); err != nil {
				t.Fatalf("Validate() = %v", err)
			}
			body, err := tt.action.Envelope(Business{DisplayPhoneNumber: "919800011122", PhoneNumberID: "555"}, "wamid.X1", now)
			if err != nil {
				t.Fatal(err)
			}
			evs, err := whatsapp.Decode(body)
			if err != nil || len(evs) != 1 {
				t.Fatalf("Decode(%s) = %v, %v; want one event", body, evs, err)
			}
			want := tt.want
			want.Envelope, want.ID, want.From, want.Name = whatsapp.EnvelopeMeta, "wamid.X1", "919876543210", "Asha"
			want.Business = whatsapp.Metadata{DisplayPhoneNumber: "919800011122", PhoneNumberID: "555"}
			got := evs[0]
			if !got.Timestamp.Equal(now) {
				t.Errorf("timestamp = %v, want %v", got.Timestamp, now)
			}
			got.Timestamp = time.Time{}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("decoded event\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestActionValidate(t *testing.T) {
	tests := []struct {
		name   string
		action Action
	}{
		{name: "no phone", action: Action{Type: "text", Text: "hi"}},
		{name: "phone with letters", action: Action{Phone: "call me", Type: "text", Text: "hi"}},
		{name: "blank text", action: Action{Phone: "919876543210", Type: "text", Text: "  "}},
		{name: "row without id", action: Action{Phone: "919876543210", Type: "list_reply", Text: "Pizzas"}},
		{name: "context too long", action: Action{Phone: "919876543210", Type: "list_reply", ID: "pizzas", Context: strings.Repeat("x", 257)}},
		{name: "empty cart", action: Action{Phone: "919876543210", Type: "order"}},
		{name: "zero quantity", action: Action{Phone: "919876543210", Type: "order", Items: []CartItem{{ProductRetailerID: "a"}}}},
		{name: "negative price", action: Action{Phone: "919876543210", Type: "order", Items: []CartItem{{ProductRetailerID: "a", Quantity: 1, ItemPrice: -1}}}},
		{name: "location without a place", action: Action{Phone: "919876543210", Type: "location"}},
		{name: "latitude past the pole", action: Action{Phone: "919876543210", Type: "location", Location: &whatsapp.Location{Latitude: 90.5}}},
		{name: "unknown type", action: Action{Phone: "919876543210", Type: "image"}},
		{name: "media without a file", action: Action{Phone: "919876543210", Type: "media"}},
		{name: "a sticker", action: Action{Phone: "919876543210", Type: "media", Media: &whatsapp.Media{Type: "sticker"}}},
		{name: "a caption past 1024 characters", action: Action{Phone: "919876543210", Type: "media", Media: &whatsapp.Media{Type: "image", Caption: strings.Repeat("é", 1025)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.action.Validate(); !errors.Is(err, ErrBadAction) {
				t.Errorf("Validate() = %v, want ErrBadAction", err)
			}
		})
	}
}

func TestNewMessageIDUnique(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := newMessageID()
		if seen[id] {
			t.Fatalf("message id %s repeated", id)
		}
		seen[id] = true
	}
}

// TestMediaActionMakesUpAnID checks that a file sent from the page, which
// has no media id, arrives with one, so it is a file and not KindOther.
func TestMediaActionMakesUpAnID(t *testing.T) {
	a := Action{Phone: "919876543210", Type: "media", Media: &whatsapp.Media{Type: "audio"}}
	body, err := a.Envelope(Business{}, "wamid.X2", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	evs, err := whatsapp.Decode(body)
	if err != nil || len(evs) != 1 || evs[0].Kind != whatsapp.KindMedia || !strings.HasPrefix(evs[0].Media.ID, "SIM") {
		t.Fatalf("Decode(%s) = %+v, %v; want a media event with a made-up id", body, evs, err)
	}
	if a.Media.ID != "" {
		t.Errorf("the action's media was changed: %+v", a.Media)
	}
}
