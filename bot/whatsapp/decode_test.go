package whatsapp

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

var testBiz = Metadata{DisplayPhoneNumber: "919800011122", PhoneNumberID: "5550001112223334"}

func at(sec int64) time.Time { return time.Unix(sec, 0).UTC() }

// inbound is an event from a shopper to testBiz, changed by the tweaks.
func inbound(env Envelope, kind EventKind, id, typ string, sec int64, tweaks ...func(*Event)) Event {
	ev := Event{Kind: kind, Envelope: env, ID: id, From: "919876543210", Name: "Asha Rao",
		Timestamp: at(sec), Type: typ, Business: testBiz}
	for _, t := range tweaks {
		t(&ev)
	}
	return ev
}

// status is a status event about a message to recipient.
func status(env Envelope, recipient string, st Status) Event {
	st.Recipient = recipient
	return Event{Kind: KindStatus, Envelope: env, From: recipient, Timestamp: st.Timestamp,
		Status: &st, Business: testBiz}
}

func text(s string) func(*Event)         { return func(e *Event) { e.Text = s } }
func reply(id, s string) func(*Event)    { return func(e *Event) { e.ReplyID, e.Text = id, s } }
func inReplyTo(id string) func(*Event)   { return func(e *Event) { e.ContextID = id } }
func from(p, name string) func(*Event)   { return func(e *Event) { e.From, e.Name = p, name } }
func business(m Metadata) func(*Event)   { return func(e *Event) { e.Business = m } }
func order(o Order) func(*Event)         { return func(e *Event) { e.Order = &o } }
func location(l Location) func(*Event)   { return func(e *Event) { e.Location = &l } }
func media(m Media) func(*Event)         { return func(e *Event) { e.Media = &m } }
func timestamp(t time.Time) func(*Event) { return func(e *Event) { e.Timestamp = t } }

// The events of the same messages in the Meta and the Kaleyra envelope.
func textEvent(env Envelope) Event {
	return inbound(env, KindText, "wamid.IN_TEXT_01", "text", 1763712000, text("hi, do you deliver to Pune?"))
}

func listReplyEvent(env Envelope) Event {
	return inbound(env, KindListReply, "wamid.IN_LIST_01", "interactive", 1763712060,
		reply("cat_snacks", "Snacks"), inReplyTo("wamid.OUT_LIST_01"))
}

func buttonReplyEvent(env Envelope) Event {
	return inbound(env, KindButtonReply, "wamid.IN_BTN_01", "interactive", 1763712090,
		reply("confirm_order", "Confirm"), inReplyTo("wamid.OUT_BTN_01"))
}

func templateButtonEvent(env Envelope) Event {
	return inbound(env, KindTemplateButton, "wamid.IN_QR_01", "button", 1763712300,
		reply("reorder_last", "Reorder"), inReplyTo("wamid.OUT_TPL_01"))
}

func imageEvent(env Envelope, url string) Event {
	return inbound(env, KindMedia, "wamid.IN_IMG_01", "image", 1763712500, media(Media{
		Type: "image", ID: "1209876543210987", MimeType: "image/jpeg", SHA256: "q83Tf0=", Caption: "this one?", URL: url}))
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name string
		file string // under testdata/inbound
		want []Event
	}{
		{"meta text", "meta_text.json", []Event{textEvent(EnvelopeMeta)}},
		{"meta list reply from the list seed", "meta_list_reply.json", []Event{
			inbound(EnvelopeMeta, KindListReply, "wamid.HBgLMTY0NjcwNDM1OTUVAgASGBQzQTZDMzFGRUFBQjlDMzIzMzlEQwA=",
				"interactive", 1712595443, reply("priority_express", "Priority Mail Express"),
				inReplyTo("wamid.HBgLMTY0NjcwNDM1OTUVAgARGBIwMjg0RkMxOEMyMkNEQUFFRDgA"),
				from("16505551234", "James Paul"),
				business(Metadata{DisplayPhoneNumber: "15550783881", PhoneNumberID: "106540352242922"})),
		}},
		{"meta button reply", "meta_button_reply.json", []Event{buttonReplyEvent(EnvelopeMeta)}},
		{"meta template quick reply", "meta_template_button.json", []Event{templateButtonEvent(EnvelopeMeta)}},
		{"meta order with a string price", "meta_order.json", []Event{
			inbound(EnvelopeMeta, KindOrder, "wamid.IN_ORDER_01", "order", 1763712200, order(Order{
				CatalogID: "771234567890123", Text: "please deliver after 6pm", Items: []OrderItem{
					{ID: "sku-masala-200g", Quantity: 2, Price: 149.5, Currency: "INR"},
					{ID: "sku-chai-500g", Quantity: 1, Price: 320, Currency: "INR"},
				}})),
		}},
		{"meta other types", "meta_other.json", []Event{
			imageEvent(EnvelopeMeta, ""),
			inbound(EnvelopeMeta, KindLocation, "wamid.IN_LOC_01", "location", 1763712400, location(Location{
				Latitude: 18.5204, Longitude: 73.8567, Name: "Home", Address: "12 MG Road, Pune"})),
			inbound(EnvelopeMeta, KindOther, "wamid.IN_STK_01", "sticker", 1763712410),
			inbound(EnvelopeMeta, KindOther, "wamid.IN_REA_01", "reaction", 1763712420),
			inbound(EnvelopeMeta, KindOther, "wamid.IN_SYS_01", "system", 1763712800),
			inbound(EnvelopeMeta, KindOther, "wamid.IN_UNS_01", "unsupported", 1763712900),
			inbound(EnvelopeMeta, KindOther, "wamid.IN_NFM_01", "interactive", 1763712950),
			inbound(EnvelopeMeta, KindOther, "wamid.IN_NEW_01", "hologram", 1763712960),
		}},
		{"meta statuses sent and failed", "meta_status.json", []Event{
			status(EnvelopeMeta, "919876543210", Status{MessageID: "wamid.OUT_TXT_07", Status: "sent", Timestamp: at(1763713000)}),
			status(EnvelopeMeta, "919811100000", Status{MessageID: "wamid.OUT_TXT_08", Status: "failed", Timestamp: at(1763713005),
				Code: "131047", Reason: "Re-engagement message"}),
		}},
		{"meta value errors", "meta_errors.json", []Event{
			{Kind: KindStatus, Envelope: EnvelopeMeta, Business: testBiz,
				Status: &Status{Status: "failed", Code: "131000", Reason: "Something went wrong"}},
		}},
		{"meta change of another field", "meta_other_field.json", nil},
		{"meta batch of two entries", "meta_batch.json", []Event{
			inbound(EnvelopeMeta, KindText, "wamid.B1", "text", 1763712001, text("menu")),
			inbound(EnvelopeMeta, KindButtonReply, "wamid.B2", "interactive", 1763712002,
				reply("yes", "Yes"), from("919811100000", "Ravi Kumar")),
			inbound(EnvelopeMeta, KindMedia, "wamid.B3", "image", 1763712003, media(Media{Type: "image", ID: "1"})),
			status(EnvelopeMeta, "919876543210", Status{MessageID: "wamid.OUT_B1", Status: "delivered", Timestamp: at(1763712004)}),
			inbound(EnvelopeMeta, KindText, "wamid.B4", "text", 1763712005, text("second shop"),
				from("919811100000", "Ravi Kumar"), business(secondBiz)),
			inbound(EnvelopeMeta, KindTemplateButton, "wamid.B5", "button", 1763712006, reply("stop", "Stop"),
				from("919811100000", "Ravi Kumar"), business(secondBiz)),
			withBusiness(status(EnvelopeMeta, "919811100000", Status{MessageID: "wamid.OUT_B2", Status: "read", Timestamp: at(1763712007)})),
			withBusiness(status(EnvelopeMeta, "919811100000", Status{MessageID: "wamid.OUT_B3", Status: "sent", Timestamp: at(1763712008)})),
		}},
		{"meta contacts matched by wa_id", "meta_contacts.json", []Event{
			inbound(EnvelopeMeta, KindText, "wamid.C1", "text", 1763712100, text("from ravi"), from("919811100000", "Ravi Kumar")),
			inbound(EnvelopeMeta, KindText, "wamid.C2", "text", 1763712101, text("from asha")),
			inbound(EnvelopeMeta, KindText, "wamid.C3", "text", 1763712102, text("from a stranger"), from("447700900123", "")),
			inbound(EnvelopeMeta, KindText, "wamid.C4", "text", 1763712103, text("from a plus"), from("14155550100", "Pat Lee")),
		}},
		{"meta only contact", "meta_only_contact.json", []Event{
			inbound(EnvelopeMeta, KindText, "wamid.O1", "text", 1763712104, text("new number"), from("919811122233", "Asha Rao")),
		}},
		{"meta wrong types inside", "meta_lenient.json", []Event{
			inbound(EnvelopeMeta, KindText, "wamid.L1", "text", 1763712000, from("919876543210", "")),
			inbound(EnvelopeMeta, KindOrder, "wamid.L2", "order", 0, from("919876543210", ""),
				timestamp(time.Time{}), order(Order{CatalogID: "771234567890123", Items: []OrderItem{
					{ID: "sku-1", Quantity: 3, Price: 7.99, Currency: "USD"},
					{ID: "sku-2", Quantity: 2},
					{ID: "sku-3", Quantity: 1, Currency: "USD"},
				}})),
			inbound(EnvelopeMeta, KindOther, "wamid.L3", "interactive", 1763712001, from("919876543210", "")),
		}},

		{"kaleyra text", "kaleyra_text.json", []Event{textEvent(EnvelopeKaleyra)}},
		{"kaleyra list reply", "kaleyra_list_reply.json", []Event{listReplyEvent(EnvelopeKaleyra)}},
		{"kaleyra button reply", "kaleyra_button_reply.json", []Event{buttonReplyEvent(EnvelopeKaleyra)}},
		{"kaleyra template quick reply", "kaleyra_template_button.json", []Event{templateButtonEvent(EnvelopeKaleyra)}},
		{"kaleyra order", "kaleyra_order.json", []Event{
			inbound(EnvelopeKaleyra, KindOrder, "wamid.IN_ORDER_02", "order", 1763713100, order(Order{
				CatalogID: "771234567890123", Items: []OrderItem{{ID: "sku-chai-500g", Quantity: 1, Price: 320, Currency: "INR"}}})),
		}},
		{"kaleyra image", "kaleyra_other.json", []Event{imageEvent(EnvelopeKaleyra, "https://kaleyra-media.example/abc.jpg")}},
		{"kaleyra status", "kaleyra_status.json", []Event{
			status(EnvelopeKaleyra, "919876543210", Status{MessageID: "5e1c9a7b3d2f4e6a8b0c1d2e3f4a5b6c",
				KaleyraID: "wamid.OUT_TXT_09", Ref: "msg-01HZX", Status: "delivered", Timestamp: at(1763713200)}),
		}},
		{"kaleyra failed status with ids in extra_info", "kaleyra_status_failed.json", []Event{
			status(EnvelopeKaleyra, "919811100000", Status{MessageID: "6f2d0b8c4e3a5f7b9c1d2e3f4a5b6c7d",
				KaleyraID: "wamid.OUT_TXT_11", Ref: "msg-01HZZ", Status: "failed", Timestamp: at(1763713300),
				Code: "131047", Reason: "Re-engagement message"}),
		}},
		{"kaleyra status beside an empty value", "kaleyra_status_top.json", []Event{
			{Kind: KindStatus, Envelope: EnvelopeKaleyra, Business: testBiz, Status: &Status{
				MessageID: "wamid.OUT_TXT_12", KaleyraID: "wamid.OUT_TXT_12", Ref: "msg-01J00", Status: "not sent"}},
		}},

		{"kaleyra not-sent notice", "notice_not_sent.json", []Event{
			{Kind: KindStatus, Envelope: EnvelopeNotice, Status: &Status{MessageID: "wamid.OUT_TXT_10",
				KaleyraID: "wamid.OUT_TXT_10", Ref: "msg-01HZY", Status: "not sent",
				Code: "WAV2101", Reason: "Account daily limit reached"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(readInbound(t, tt.file))
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Decode(%s)\n got: %s\nwant: %s", tt.file, dump(got), dump(tt.want))
			}
		})
	}
}

var secondBiz = Metadata{DisplayPhoneNumber: "919800099999", PhoneNumberID: "5550009999999999"}

func withBusiness(ev Event) Event {
	ev.Business = secondBiz
	return ev
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name    string
		file    string // under testdata/inbound, or
		body    string // inline
		wantErr error
		where   string // in the message
	}{
		{name: "empty body", file: "malformed_empty.json", wantErr: ErrMalformed, where: "line 1, column 1 (byte 0)"},
		{name: "truncated", file: "malformed_truncated.json", wantErr: ErrMalformed, where: "line 3, column 1 (byte 70)"},
		{name: "two values", file: "malformed_trailing.json", wantErr: ErrMalformed, where: "line 2, column 1 (byte 13)"},
		{name: "bad literal deep inside", file: "malformed_bad_value.json", wantErr: ErrMalformed, where: "line 2, column 29 (byte 66)"},
		{name: "not JSON", body: "entry=1&object=x", wantErr: ErrMalformed, where: "line 1, column 1 (byte 0)"},
		{name: "unknown object", file: "unknown_object.json", wantErr: ErrUnknownEnvelope},
		{name: "top-level array", file: "unknown_array.json", wantErr: ErrUnknownEnvelope},
		{name: "null", file: "unknown_null.json", wantErr: ErrUnknownEnvelope},
		{name: "empty object", body: `{}`, wantErr: ErrUnknownEnvelope},
		{name: "string", body: `"entry"`, wantErr: ErrUnknownEnvelope},
		{name: "entry not an array", body: `{"entry": {"changes": []}}`, wantErr: ErrUnknownEnvelope},
		{name: "meta_object not an object", body: `{"meta_object": [1]}`, wantErr: ErrUnknownEnvelope},
		{name: "another object", body: `{"object": "page", "entry": [{"id": "1", "messaging": []}]}`, wantErr: ErrUnknownEnvelope},
		{name: "empty entry", body: `{"object": "whatsapp_business_account", "entry": []}`},
		{name: "empty meta_object", body: `{"meta_object": {}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := []byte(tt.body)
			if tt.file != "" {
				body = readInbound(t, tt.file)
			}
			got, err := Decode(body)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("Decode error = %v, want %v", err, tt.wantErr)
			}
			if len(got) != 0 {
				t.Errorf("Decode gave %d events, want none", len(got))
			}
			if err != nil && !strings.Contains(err.Error(), tt.where) {
				t.Errorf("error %q does not say %q", err, tt.where)
			}
		})
	}
}

func TestDecodeSyntaxErrorUnwraps(t *testing.T) {
	_, err := Decode([]byte(`{"entry": [}`))
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("error %v is not a *SyntaxError", err)
	}
	if _, ok := errors.AsType[*json.SyntaxError](err); !ok {
		t.Errorf("error %v does not unwrap to *json.SyntaxError", err)
	}
	if se.Offset != 11 || se.Line != 1 || se.Column != 12 {
		t.Errorf("position = byte %d line %d column %d, want byte 11 line 1 column 12", se.Offset, se.Line, se.Column)
	}
}

func readInbound(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "inbound", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func dump(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

// TestNamesAmongManyContacts checks that senders' names are found the
// same way when a value has more contacts than are scanned: the first
// contact with the sender's wa_id wins, and an unknown sender has no name.
func TestNamesAmongManyContacts(t *testing.T) {
	var contacts, messages []string
	for i := range 20 {
		contacts = append(contacts, fmt.Sprintf(`{"profile":{"name":"N%d"},"wa_id":"+9198000000%02d"}`, i, i))
	}
	contacts = append(contacts, `{"profile":{"name":"second"},"wa_id":"919800000005"}`)
	for _, from := range []string{"919800000005", "919800000019", "919899999999"} {
		messages = append(messages, `{"from":"`+from+`","id":"wamid.`+from+`","timestamp":"1763712000","type":"text","text":{"body":"hi"}}`)
	}
	body := `{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"contacts":[` +
		strings.Join(contacts, ",") + `],"messages":[` + strings.Join(messages, ",") + `]}}]}]}`
	events, err := Decode([]byte(body))
	if err != nil || len(events) != 3 {
		t.Fatalf("Decode = %d events, %v", len(events), err)
	}
	for i, want := range []string{"N5", "N19", ""} {
		if events[i].Name != want {
			t.Errorf("message from %s named %q, want %q", events[i].From, events[i].Name, want)
		}
	}
}

// TestAside checks which decoded messages are asides: the reaction and the
// number-change notice, not the image, location, unsupported or unknown
// types beside them.
func TestAside(t *testing.T) {
	evs, err := Decode(readInbound(t, "meta_other.json"))
	if err != nil {
		t.Fatal(err)
	}
	var asides []string
	for _, ev := range evs {
		if ev.Aside() {
			asides = append(asides, ev.ID)
		}
	}
	if want := []string{"wamid.IN_REA_01", "wamid.IN_SYS_01"}; !slices.Equal(asides, want) {
		t.Fatalf("asides = %v, want %v", asides, want)
	}
	if (Event{Kind: KindText, Type: "reaction"}).Aside() {
		t.Error("a text is an aside")
	}
}
