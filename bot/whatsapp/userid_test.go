package whatsapp

import (
	"strings"
	"testing"
)

func TestValidUserID(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"US.13491208655302741918", true},
		{"BR.1502576394655843", true},
		{"US.ENT.11815799212886844830", true},
		{"IN.abcXYZ019", true},
		{"US.", false},
		{"us.1349", false},
		{"USA.1349", false},
		{"US1349", false},
		{"US.ENT.", false},
		{"US.13-49", false},
		{"US.1349 ", false},
		{"919876543210", false},
	}
	for _, tt := range tests {
		if got := ValidUserID(tt.in); got != tt.want {
			t.Errorf("ValidUserID(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	long := "US."
	for range maxUserID + 1 {
		long += "1"
	}
	if ValidUserID(long) || !ValidUserID(long[:len(long)-1]) {
		t.Errorf("ValidUserID takes more than %d characters after the dot", maxUserID)
	}
}

func TestShopperID(t *testing.T) {
	tests := []struct{ in, want string }{
		{" US.13491208655302741918 ", "US.13491208655302741918"},
		{"+91 98765-43210", "919876543210"},
		{"US.13491208655302741918x!", "US13491208655302741918x!"}, // not an id: read as a phone, which fails
	}
	for _, tt := range tests {
		got := ShopperID(tt.in)
		if got != tt.want {
			t.Errorf("ShopperID(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if ok := ValidShopper(got); ok != (tt.want != "US13491208655302741918x!") {
			t.Errorf("ValidShopper(%q) = %v", got, ok)
		}
	}
}

// TestDecodeUserID checks who a message or a status is from when Meta
// names the shopper by their business-scoped user id, with or without
// their number.
func TestDecodeUserID(t *testing.T) {
	const id = "US.13491208655302741918"
	contacts := `"contacts":[{"profile":{"name":"Ravi"},"wa_id":"919800000001"},` +
		`{"profile":{"name":"Asha","username":"@asha"},"user_id":"` + id + `"}]`
	tests := []struct {
		name, value         string
		from, user, shopper string
	}{
		{"only the user id", contacts + `,"messages":[{"from_user_id":"` + id + `","id":"wamid.U","type":"text","text":{"body":"hi"}}]`,
			id, id, "Asha"},
		{"number and user id", `"contacts":[{"profile":{"name":"Asha"},"wa_id":"919876543210","user_id":"` + id + `"}],` +
			`"messages":[{"from":"919876543210","from_user_id":"` + id + `","id":"wamid.U","type":"text","text":{"body":"hi"}}]`,
			"919876543210", id, "Asha"},
		{"a status naming only the user id", `"statuses":[{"id":"wamid.O","status":"read","timestamp":"1763713200","recipient_user_id":"` + id + `"}]`,
			id, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{` + tt.value + `}}]}]}`
			evs, err := Decode([]byte(body))
			if err != nil || len(evs) != 1 {
				t.Fatalf("Decode = %v, %v; want one event", evs, err)
			}
			ev := evs[0]
			if ev.From != tt.from || ev.UserID != tt.user || ev.Name != tt.shopper {
				t.Errorf("from %q, user id %q, name %q; want %q, %q, %q", ev.From, ev.UserID, ev.Name, tt.from, tt.user, tt.shopper)
			}
			if ev.Status != nil && ev.Status.Recipient != tt.from {
				t.Errorf("status recipient %q, want %q", ev.Status.Recipient, tt.from)
			}
		})
	}
}

// TestRequestToUserID checks that a reply to a shopper known only by
// their user id names them in recipient and leaves to out, for session
// messages and templates alike, and that what is neither a number nor an
// id is refused.
func TestRequestToUserID(t *testing.T) {
	const id = "US.ENT.11815799212886844830"
	for _, m := range []Message{Text{Body: "hi"}, Template{Name: "t", Language: "en", ProductID: "p", CatalogID: "c"}} {
		body, _, err := Outbound{ID: "x", To: id, Message: m}.Request()
		if err != nil {
			t.Fatalf("%s: %v", m.Kind(), err)
		}
		s := string(body)
		if !strings.Contains(s, `"recipient":"`+id+`"`) || strings.Contains(s, `"to"`) {
			t.Errorf("%s: body %s; want recipient %s and no to", m.Kind(), s, id)
		}
	}
	body, _, err := Outbound{ID: "x", To: "+91 98765 43210", Message: Text{Body: "hi"}}.Request()
	if err != nil || !strings.Contains(string(body), `"to":"+919876543210"`) || strings.Contains(string(body), `"recipient":`) {
		t.Errorf("to a number: %s, %v", body, err)
	}
	if _, _, err := (Outbound{ID: "x", To: "us.1349", Message: Text{Body: "hi"}}).Request(); err == nil {
		t.Error("a lower-case id was taken as a shopper")
	}
}
