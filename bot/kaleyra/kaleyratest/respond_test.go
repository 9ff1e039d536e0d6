package kaleyratest_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/kaleyra/kaleyratest"
	"github.com/souk-commerce/souk/bot/whatsapp"
)

func textTo(to, id, body string) whatsapp.Outbound {
	return whatsapp.Outbound{ID: id, To: to, Message: whatsapp.Text{Body: body}, ExtraInfo: whatsapp.ExtraInfo{Ref: id}}
}

func TestRespond(t *testing.T) {
	tests := []struct {
		name       string
		answer     kaleyratest.Answer
		wantStatus int    // of the client's result or *APIError; 0 for a transport error
		wantID     string // the client's message id
		wantCode   string // the client's error code and the recorded Code
		recordedID string
	}{
		{name: "accept with an id", answer: kaleyratest.Accept("kal-7"), wantStatus: 202, wantID: "kal-7", recordedID: "kal-7"},
		{name: "documented failure", answer: kaleyratest.Fail("E110"), wantStatus: 400, wantCode: "E110"},
		{name: "literal failure", answer: kaleyratest.Answer{Status: 503, Body: `{"code":"X1","message":"busy"}`}, wantStatus: 503, wantCode: "X1"},
		{name: "literal accept", answer: kaleyratest.Answer{Status: 200, Body: `{"code":"WA200","data":{"message_id":"M9"}}`}, wantStatus: 200, wantID: "M9", recordedID: "M9"},
		{name: "literal empty accept", answer: kaleyratest.Answer{Status: 202}, wantStatus: 202},
		{name: "drop", answer: kaleyratest.Fail(kaleyratest.CodeDrop), wantCode: kaleyratest.CodeDrop},
	}
	for _, tt := range tests {
		mock := kaleyratest.New()
		for via, c := range clients(t, mock, 5*time.Second) {
			t.Run(tt.name+"/"+via, func(t *testing.T) {
				mock.Reset()
				mock.FailNext(kaleyratest.Failure{Code: "WA500"}) // Respond takes its place
				mock.SetRespond(func(int, kaleyratest.Request) kaleyratest.Answer { return tt.answer })
				defer mock.SetRespond(nil)
				res, err := c.Send(context.Background(), text())
				var apiErr *kaleyra.APIError
				var te *kaleyra.TransportError
				switch {
				case tt.wantStatus == 0:
					if !errors.As(err, &te) {
						t.Fatalf("Send() error = %v, want a transport error", err)
					}
				case tt.wantCode != "":
					if !errors.As(err, &apiErr) || apiErr.Status != tt.wantStatus || apiErr.Code != tt.wantCode {
						t.Fatalf("Send() error = %v, want HTTP %d %s", err, tt.wantStatus, tt.wantCode)
					}
				default:
					if err != nil || res.Status != tt.wantStatus || res.MessageID != tt.wantID {
						t.Fatalf("Send() = %+v, %v; want %d %q", res, err, tt.wantStatus, tt.wantID)
					}
				}
				reqs := mock.Requests()
				if len(reqs) != 1 || reqs[0].Code != tt.wantCode || reqs[0].MessageID != tt.recordedID {
					t.Errorf("recorded %+v, want code %q and message id %q", reqs, tt.wantCode, tt.recordedID)
				}
			})
		}
	}
}

func TestRespondSeesEveryRequest(t *testing.T) {
	k := kaleyratest.Run(t)
	var seen []int
	k.SetRespond(func(n int, r kaleyratest.Request) kaleyratest.Answer {
		seen = append(seen, n) // one client, one request at a time
		if r.Text() == "fail" {
			return kaleyratest.Fail("WA500")
		}
		return kaleyratest.Accept("kal-" + r.Ref())
	})
	c, err := kaleyra.New(kaleyra.Config{APIKey: "k", SID: "SID", Number: "15550000000", BaseURL: k.URL})
	if err != nil {
		t.Fatal(err)
	}
	sends := []whatsapp.Outbound{textTo("15550001111", "a", "one"), textTo("15550001111", "b", "fail"),
		textTo("+15550002222", "c", "other"), textTo("15550001111", "d", "two")}
	for _, out := range sends {
		res, err := c.Send(context.Background(), out)
		if out.ID != "b" && (err != nil || res.MessageID != "kal-"+out.ID) {
			t.Fatalf("send %s = %+v, %v; want kal-%s", out.ID, res, err, out.ID)
		}
	}
	if !slices.Equal(seen, []int{1, 2, 3, 4}) {
		t.Errorf("Respond saw requests %v, want 1..4", seen)
	}
	tests := []struct {
		name      string
		got, want []string
	}{
		{"texts accepted for the first shopper", k.Texts("15550001111"), []string{"one", "two"}},
		{"texts accepted for the second shopper", k.Texts("15550002222"), []string{"other"}},
		{"texts for nobody", k.Texts("15559999999"), nil},
	}
	for _, tt := range tests {
		if !slices.Equal(tt.got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, tt.got, tt.want)
		}
	}
	var refs []string
	for _, r := range k.Accepted() {
		refs = append(refs, r.Ref()+":"+r.To())
	}
	if want := []string{"a:15550001111", "c:15550002222", "d:15550001111"}; !slices.Equal(refs, want) {
		t.Errorf("accepted %v, want %v", refs, want)
	}
	if got := k.Take(); len(got) != 4 || got[1].Status != http.StatusInternalServerError || k.Len() != 0 {
		t.Errorf("Take() = %d requests (second %d), then Len %d; want 4 (a 500), then 0", len(got), got[1].Status, k.Len())
	}
	if _, err := c.Send(context.Background(), textTo("15550001111", "e", "after")); err != nil {
		t.Fatal(err)
	}
	if got := k.WaitFor(1, time.Second); len(got) != 1 || got[0].Text() != "after" || seen[len(seen)-1] != 5 {
		t.Errorf("after Take: %d requests, Respond numbers %v; want the new one, numbered 5", len(got), seen)
	}
}

func TestRequestFields(t *testing.T) {
	tests := []struct {
		name                 string
		body                 string
		to, ref, text, field string
	}{
		{name: "session text", body: `{"messaging_object":{"to":"+919876543210","type":"text","text":{"body":"hi"}},"extra_info":{"ref":"r1"}}`,
			to: "919876543210", ref: "r1", text: "hi", field: "text"},
		{name: "template", body: `{"to":"919876543210","type":"template","extra_info":{"ref":"r2"}}`, to: "919876543210", ref: "r2"},
		{name: "interactive", body: `{"messaging_object":{"to":"1","type":"interactive","interactive":{"type":"list"}}}`, to: "1", field: "interactive"},
		{name: "not JSON", body: `<html>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := kaleyratest.Request{Body: []byte(tt.body)}
			if r.To() != tt.to || r.Ref() != tt.ref || r.Text() != tt.text || r.Field("messaging_object", "type") != tt.field {
				t.Errorf("To %q Ref %q Text %q type %q; want %q %q %q %q", r.To(), r.Ref(), r.Text(),
					r.Field("messaging_object", "type"), tt.to, tt.ref, tt.text, tt.field)
			}
		})
	}
}
