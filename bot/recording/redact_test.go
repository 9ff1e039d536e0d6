package recording

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

// secrets returns the phone numbers, names and wamids events reveal.
func secrets(events []whatsapp.Event) []string {
	var out []string
	for _, ev := range events {
		out = append(out, ev.From, ev.Name, ev.ID)
		for _, tok := range strings.Fields(ev.Name) {
			out = append(out, tok)
		}
		if ev.Status != nil {
			out = append(out, ev.Status.Recipient)
		}
	}
	var keep []string
	for _, s := range out {
		if len(s) >= 3 {
			keep = append(keep, s)
		}
	}
	return keep
}

func TestRedactFixtures(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "whatsapp", "testdata", "inbound", "*.json"))
	p := NewPseudonymizer([]byte("test-secret"))
	for _, file := range files {
		body, _ := os.ReadFile(file)
		before, err := whatsapp.Decode(body)
		if err != nil || len(before) == 0 {
			continue // malformed and unknown fixtures are never recorded
		}
		t.Run(filepath.Base(file), func(t *testing.T) {
			out, err := p.Redact(body)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range secrets(before) {
				if bytes.Contains(bytes.ToLower(out), bytes.ToLower([]byte(s))) {
					t.Errorf("%q survived redaction:\n%s", s, out)
				}
			}
			after, err := whatsapp.Decode(out)
			if err != nil || len(after) != len(before) {
				t.Fatalf("redacted body decodes to %d events (%v), want %d", len(after), err, len(before))
			}
			for i := range before {
				b, a := before[i], after[i]
				if a.Kind != b.Kind || a.ReplyID != b.ReplyID || (b.From != "" && a.From != p.Phone(b.From)) {
					t.Errorf("event %d: %+v\nbecame %+v", i, b, a)
				}
				if b.From != "" && !whatsapp.ValidPhone(a.From) {
					t.Errorf("pseudonym %q is not a valid number", a.From)
				}
			}
		})
	}
}

func TestRedactConsistentAndInsideText(t *testing.T) {
	body := func(phone, name, text, id string) []byte {
		return []byte(`{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
		 "metadata":{"display_phone_number":"15550000000","phone_number_id":"555"},
		 "contacts":[{"profile":{"name":"` + name + `"},"wa_id":` + phone + `}],
		 "messages":[{"from":"` + phone + `","id":"` + id + `","timestamp":"1","type":"text","text":{"body":"` + text + `"}}]}}]}]}`)
	}
	p := NewPseudonymizer([]byte("k"))
	tests := []struct {
		name   string
		a, b   []byte
		same   bool
		secret []string
	}{
		{name: "same shopper, two messages", same: true,
			a:      body("919876543210", "Asha Rao", "hi, I am asha, call 919876543210", "wamid.HBgMOTE5ODc2NTQzMjEw1"),
			b:      body("919876543210", "Asha Rao", "menu", "wamid.HBgMOTE5ODc2NTQzMjEw2"),
			secret: []string{"919876543210", "asha", "Rao", "HBgMOTE5ODc2NTQzMjEw"}},
		{name: "numbers in any spelling, and other people's", same: true,
			a:      body("919876543210", "Asha", "asha here: call me on +91 98765 43210 or my friend on (44) 7700-900-123", "wamid.C"),
			b:      body("919876543210", "Asha", "two at once: 9876543210 9123456789 or +91 98765 43210 1234567, or 98765.43210", "wamid.D"),
			secret: []string{"919876543210", "98765 43210", "7700-900-123", "447700900123", "9876543210", "9123456789", "1234567", "98765.43210"}},
		{name: "two shoppers", same: false,
			a:      body("919876543210", "Asha", "hi", "wamid.A"),
			b:      body("447700900123", "Tom Jones", "hello tom", "wamid.B"),
			secret: []string{"919876543210", "447700900123", "Asha", "Tom", "Jones"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ra, err1 := p.Redact(tt.a)
			rb, err2 := p.Redact(tt.b)
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			for _, s := range tt.secret {
				for _, r := range [][]byte{ra, rb} {
					if bytes.Contains(bytes.ToLower(r), bytes.ToLower([]byte(s))) {
						t.Errorf("%q survived: %s", s, r)
					}
				}
			}
			ea, _ := whatsapp.Decode(ra)
			eb, _ := whatsapp.Decode(rb)
			if (ea[0].From == eb[0].From) != tt.same || (ea[0].Name == eb[0].Name) != tt.same {
				t.Errorf("pseudonyms %s/%s and %s/%s; same shopper = %v", ea[0].From, ea[0].Name, eb[0].From, eb[0].Name, tt.same)
			}
			if tt.same && (!strings.Contains(ea[0].Text, ea[0].Name) || !strings.Contains(ea[0].Text, ea[0].From)) {
				t.Errorf("text %q does not carry the pseudonyms %s / %s", ea[0].Text, ea[0].Name, ea[0].From)
			}
		})
	}
	if _, err := p.Redact([]byte("not json")); err == nil {
		t.Error("Redact(not JSON) = nil error")
	}
}

func TestRecorderAppendsLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rec.jsonl")
	for range 2 {
		r, err := Open(path, []byte("k"), nil)
		if err != nil {
			t.Fatal(err)
		}
		r.Record([]byte(`{"from": "919876543210"}`))
		r.Record([]byte(`not json`))
		r.Close()
	}
	data, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 2 || lines[0] != lines[1] || strings.Contains(string(data), "919876543210") {
		t.Errorf("file = %q, want the same pseudonymised line twice", data)
	}
}

// TestRedactKeepsShortNumbers: numbers too short to be phones (amounts,
// postcodes) and timestamps stay as written.
func TestRedactKeepsShortNumbers(t *testing.T) {
	body := []byte(`{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
	 "contacts":[{"profile":{"name":"Asha"},"wa_id":"919876543210"}],
	 "messages":[{"from":"919876543210","id":"wamid.E","timestamp":"1767225600","type":"text","text":{"body":"2 pizzas to 560001, order 1234567 on 2025-12-01 10:30, or 01-12-2025 - 05.12.2025, pin 560001 2025-12-01, for 1,299.00"}}]}}]}]}`)
	r, err := NewPseudonymizer([]byte("k")).Redact(body)
	if err != nil {
		t.Fatal(err)
	}
	for _, keep := range []string{"2 pizzas to 560001, order 1234567 on 2025-12-01 10:30, or 01-12-2025 - 05.12.2025, pin 560001 2025-12-01, for 1,299.00", `"timestamp":"1767225600"`} {
		if !bytes.Contains(r, []byte(keep)) {
			t.Errorf("%q was changed: %s", keep, r)
		}
	}
}

// TestRedactKeepsButtonPayloads: a button's payload is the id the flow
// routes on, so a replay must see it as sent, digits and all.
func TestRedactKeepsButtonPayloads(t *testing.T) {
	body := []byte(`{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
	 "contacts":[{"profile":{"name":"Asha"},"wa_id":"919876543210"}],
	 "messages":[{"from":"919876543210","id":"wamid.F","timestamp":"1767225600","type":"button","button":{"payload":"offer-1234567890","text":"Yes"}}]}}]}]}`)
	r, err := NewPseudonymizer([]byte("k")).Redact(body)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(r, []byte(`"payload":"offer-1234567890"`)) {
		t.Errorf("the payload was changed: %s", r)
	}
}

// TestRedactQuotedNumbersAnywhere: a number someone quotes is replaced
// however it is written and wherever a person or a platform wrote it, and
// the sender's own number and name however the webhook spells their keys.
func TestRedactQuotedNumbersAnywhere(t *testing.T) {
	body := []byte(`{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
	 "contacts":[{"Profile":{"Name":"Dave Realname"},"WA_ID":"919876543262"}],
	 "messages":[{"FROM":"+91 98765 43262","id":"wamid.G","timestamp":"1767225600","type":"text","text":{"body":
	   "call tel:+447700900124 or \"447700900125\" or 447700900127/447700900128 or 44\u00a07700\u00a0900129 or ٤٤٧٧٠٠٩٠٠١٢٦ or (+44) 7700 900130, on 2025-12-01 at 10:30, account HXA123456789012"},
	  "interactive":{"nfm_reply":{"response_json":"{\"phone\":\"447700900131\"}"}},
	  "location":{"url":"https://wa.me/447700900132"}}]}}]}]}`)
	out, err := NewPseudonymizer([]byte("k")).Redact(body)
	if err != nil {
		t.Fatal(err)
	}
	checkRedacted(t, out, []string{"900124", "900125", "900127", "900128", "900129", "٩٠٠١٢٦", "900130", "900131", "900132",
		"43262", "Dave", "Realname", "\ufffd"}, []string{"2025-12-01 at 10:30", "HXA123456789012", `"timestamp":"1767225600"`})
}

// TestRedactKaleyraMediaLink: a number in the link of Kaleyra's copy of a
// shopper's file (extra_info.media_url) is replaced, as in Meta's link,
// the caption and the file name; the media id is kept for replays.
func TestRedactKaleyraMediaLink(t *testing.T) {
	body := []byte(`{"meta_object":{"field":"messages","value":{"contacts":[{"profile":{"name":"Asha"},"wa_id":"919876543262"}],
	 "messages":[{"from":"919876543262","id":"wamid.D","timestamp":"1767225600","type":"document",
	  "document":{"id":"1209876543210987","filename":"447700900140.pdf","caption":"from 447700900141","url":"https://m.example/447700900142"}}]}},
	 "extra_info":{"media_url":"https://s3.example/447700900143/Asha.pdf"}}`)
	out, err := NewPseudonymizer([]byte("k")).Redact(body)
	if err != nil {
		t.Fatal(err)
	}
	checkRedacted(t, out, []string{"900140", "900141", "900142", "900143", "43262", "Asha"}, []string{`"id":"1209876543210987"`})
}

// TestRedactNumbersInAnyScript: numbers glued to words of scripts without
// spaces, written with other dashes, invisible marks or digits of other
// scripts, are replaced whole, and a number is the same pseudonym in any
// script.
func TestRedactNumbersInAnyScript(t *testing.T) {
	f := finds{p: NewPseudonymizer([]byte("k"))}
	ascii := f.numbersIn("98765432")
	for _, in := range []string{"٩٨٧٦٥٤٣٢", "９８７６５４３２", "98\u2013765\u2013432", "98\u200e765\u200e432", "98/765/432"} {
		if got := f.numbersIn(in); got != ascii {
			t.Errorf("numbersIn(%q) = %q, want %q, the pseudonym of 98765432", in, got, ascii)
		}
	}
	for _, in := range []string{"電話09012345678です", "tel.447700900124", "Mob-447700900124", "０９０－１２３４－５６７８",
		"a +36 30 123 4567-es számon", "٩٨ ٧٦ ٥٤ ٣٢ ١٠"} {
		got := f.numbersIn(in)
		rest := pseudonym.ReplaceAllString(got, "")
		if !utf8.ValidString(got) || rest == got || strings.ContainsFunc(rest, unicode.IsDigit) {
			t.Errorf("numbersIn(%q) = %q; want the number replaced whole", in, got)
		}
	}
	for _, keep := range []string{"HXA123456789012", "v2 2025-12-01", "12:30"} {
		if got := f.numbersIn(keep); got != keep {
			t.Errorf("numbersIn(%q) = %q; want it kept", keep, got)
		}
	}
}

var pseudonym = regexp.MustCompile(`1555[0-9]{9}`)

// TestRedactKeepsIDsAndTheBusiness: a name is replaced as a whole word in
// texts only, so that a reply id or payload that happens to contain it is
// routed the same in a replay, and the business's own number stays.
func TestRedactKeepsIDsAndTheBusiness(t *testing.T) {
	body := []byte(`{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
	 "metadata":{"display_phone_number":"15550001111","phone_number_id":"555"},
	 "contacts":[{"profile":{"name":"Rita Max"},"wa_id":"919876543210"}],
	 "messages":[{"from":"919876543210","id":"wamid.H","timestamp":"1767225600","type":"interactive",
	  "context":{"from":"15550001111","id":"wamid.I"},
	  "interactive":{"type":"button_reply","button_reply":{"id":"pz-margherita","title":"Max, Rita: Margherita"}}}]}}]}]}`)
	out, err := NewPseudonymizer([]byte("k")).Redact(body)
	if err != nil {
		t.Fatal(err)
	}
	checkRedacted(t, out, []string{"Max,", "Rita:", "919876543210"}, []string{`"id":"pz-margherita"`, `"display_phone_number":"15550001111"`, `"from":"15550001111"`, "Margherita"})
}

// TestRedactNamesEverywhere: a name is replaced in a script written
// without spaces and in a contact card's other fields, and dates and
// prices in a text stay.
func TestRedactNamesEverywhere(t *testing.T) {
	body := []byte(`{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
	 "contacts":[{"profile":{"name":"田中太郎"},"wa_id":"819012345678"},{"profile":{"name":"김민수"},"wa_id":"821012345678"}],
	 "messages":[{"from":"819012345678","id":"wamid.J","timestamp":"1767225600","type":"text",
	  "text":{"body":"田中太郎です, 김민수님, on 12/01/2025 for 1,234,567.89"},
	  "contacts":[{"name":{"formatted_name":"Asha Rao"},"emails":[{"email":"asha.rao@example.com"}],
	   "addresses":[{"street":"12 Rao Lane"}],"org":{"company":"Asha Rao Consulting"}}]}]}}]}]}`)
	out, err := NewPseudonymizer([]byte("k")).Redact(body)
	if err != nil {
		t.Fatal(err)
	}
	checkRedacted(t, out, []string{"田中", "김민수", "asha", "Asha", "Rao"}, []string{"です", "님", "12/01/2025", "1,234,567.89"})
}

// TestRedactSecondReview: a changed number's new one, names in handles and
// emails, names only as whole words in scripts with spaces, and a run that
// only looks like a date.
func TestRedactSecondReview(t *testing.T) {
	body := []byte(`{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
	 "contacts":[{"profile":{"name":"Asha Иван"},"wa_id":"919876543210"}],
	 "messages":[{"from":"919876543210","id":"wamid.K","timestamp":"1767225600","type":"system",
	  "system":{"body":"changed to 919812345678","new_wa_id":"919812345678","type":"user_changed_number"},
	  "text":{"body":"asha1990@x.com ravi_asha@x.com Ashaé Иванов Иван call 12/34/5678"}}]}}]}]}`)
	out, err := NewPseudonymizer([]byte("k")).Redact(body)
	if err != nil {
		t.Fatal(err)
	}
	checkRedacted(t, out, []string{"919812345678", "asha1990", "_asha", "Иван ", "12/34/5678"}, []string{"Ashaé", "Иванов"})
}

// checkRedacted fails t for each of gone that out still holds and each of
// keep that it lost.
func checkRedacted(t *testing.T, out []byte, gone, keep []string) {
	t.Helper()
	for _, g := range gone {
		if bytes.Contains(out, []byte(g)) {
			t.Errorf("%q survived redaction:\n%s", g, out)
		}
	}
	for _, k := range keep {
		if !bytes.Contains(out, []byte(k)) {
			t.Errorf("%q was changed:\n%s", k, out)
		}
	}
}

// TestRedactUserIDs checks that a shopper known by a business-scoped user
// id loses it and their username in a recording, consistently, and keeps
// an id of the same shape, so that a replay still routes them.
func TestRedactUserIDs(t *testing.T) {
	const id = "US.13491208655302741918"
	body := []byte(`{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
	 "contacts":[{"profile":{"name":"Asha","username":"@asha_k"},"user_id":"` + id + `"}],
	 "messages":[{"from_user_id":"` + id + `","id":"wamid.U","timestamp":"1767225600","type":"text","text":{"body":"hi, @asha_k here"}}]}}]}]}`)
	out, err := NewPseudonymizer([]byte("k")).Redact(body)
	if err != nil {
		t.Fatal(err)
	}
	checkRedacted(t, out, []string{"13491208655302741918", "asha_k", "Asha"}, nil)
	var doc struct {
		Entry []struct {
			Changes []struct {
				Value struct {
					Contacts []struct {
						UserID string `json:"user_id"`
					}
					Messages []struct {
						FromUserID string `json:"from_user_id"`
					}
				}
			}
		}
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	v := doc.Entry[0].Changes[0].Value
	if from := v.Messages[0].FromUserID; !strings.HasPrefix(from, "US.") || from != v.Contacts[0].UserID {
		t.Errorf("from_user_id %q and user_id %q: want one pseudonym of the US.… shape", from, v.Contacts[0].UserID)
	}
}
