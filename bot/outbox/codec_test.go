package outbox

import (
	"reflect"
	"testing"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/store"
)

// TestCodecRoundTrip encodes each kind of reply and decodes it back.
func TestCodecRoundTrip(t *testing.T) {
	rows := []whatsapp.Row{{ID: "r1", Title: "Row"}}
	tests := []struct {
		name string
		msg  whatsapp.Message
		want whatsapp.Message // when it differs from msg
	}{
		{name: "text", msg: whatsapp.Text{Body: "hi & <bye>", PreviewURL: true}},
		{name: "list", msg: whatsapp.List{Body: "b", Button: "Menu", Sections: []whatsapp.Section{{Title: "s", Rows: rows}}}},
		{name: "buttons", msg: whatsapp.Buttons{Body: "b", Buttons: []whatsapp.Button{{ID: "y", Title: "Yes"}}}},
		{name: "product", msg: whatsapp.Product{CatalogID: "c", ProductID: "p"}},
		{name: "product_list", msg: whatsapp.ProductList{Header: "h", Body: "b", CatalogID: "c",
			Sections: []whatsapp.ProductSection{{Title: "s", ProductIDs: []string{"p1", "p2"}}}}},
		{name: "catalog_link", msg: whatsapp.CatalogLink{Body: "b"}},
		{name: "template", msg: whatsapp.Template{Name: "t", Language: "en"}},
		{name: "pointer", msg: &whatsapp.Text{Body: "by pointer"}, want: whatsapp.Text{Body: "by pointer"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := whatsapp.Outbound{ID: "id1", To: "919876543210", Message: tt.msg,
				ExtraInfo: whatsapp.ExtraInfo{Ref1: "x"}}
			m, err := Encode(in)
			if err != nil {
				t.Fatal(err)
			}
			if !m.Marshaled {
				t.Error("Encode's payload is not marked Marshaled, so the store checks it again")
			}
			got, err := Decode(m)
			if err != nil {
				t.Fatalf("Decode(%s): %v", m.Payload, err)
			}
			want := in
			if tt.want != nil {
				want.Message = tt.want
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("round trip of %s\n got %+v\nwant %+v", m.Payload, got, want)
			}
		})
	}
}

// TestDecodeFormats reads entries in the current format and in the one
// before it (the message as JSON under "message"), and refuses broken ones.
func TestDecodeFormats(t *testing.T) {
	tests := []struct {
		name    string
		payload string
		want    whatsapp.Message
		wantErr bool
	}{
		{name: "current", payload: `{"kind":"text","to":"919876543210","text":{"body":"hi"}}`, want: whatsapp.Text{Body: "hi"}},
		{name: "former", payload: `{"kind":"text","to":"919876543210","message":{"body":"hi"}}`, want: whatsapp.Text{Body: "hi"}},
		{name: "former list", payload: `{"kind":"list","to":"919876543210","message":{"body":"b","button":"B"}}`,
			want: whatsapp.List{Body: "b", Button: "B"}},
		{name: "unknown kind", payload: `{"kind":"sticker","to":"1","message":{}}`, wantErr: true},
		{name: "no message", payload: `{"kind":"text","to":"1"}`, wantErr: true},
		{name: "kind and key disagree", payload: `{"kind":"list","to":"1","text":{"body":"hi"}}`, wantErr: true},
		{name: "not JSON", payload: `{"kind":`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(store.OutMessage{ID: "id1", Phone: "919876543210", Payload: []byte(tt.payload)})
			if (err != nil) != tt.wantErr {
				t.Fatalf("Decode error = %v, want error %v", err, tt.wantErr)
			}
			if err == nil && !reflect.DeepEqual(got.Message, tt.want) {
				t.Fatalf("message %+v, want %+v", got.Message, tt.want)
			}
		})
	}
}
