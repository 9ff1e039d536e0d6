package webhook

import (
	"context"
	"os"
	"strings"
	"testing"
)

func TestUnusualBodies(t *testing.T) {
	meta := func(value string) string {
		return `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":` + value + `}]}]}`
	}
	const p = "919876543210"
	others, err := os.ReadFile("../whatsapp/testdata/inbound/meta_other.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		body    string
		want    int
		wantErr string // in the JSON error of a 4xx
	}{
		{"empty", "", 400, "malformed JSON"},
		{"spaces", "   \n", 400, "malformed JSON"},
		{"open brace", "{", 400, "malformed JSON at line 1"},
		{"not json", "hello", 400, "malformed JSON at line 1, column 1"},
		{"broken array", `{"object":"whatsapp_business_account","entry":[}`, 400, "column 48"},
		{"trailing garbage", `{} x`, 400, "malformed JSON"},
		{"byte order mark", "\xef\xbb\xbf{}", 400, "malformed JSON"},
		{"nesting 1M deep", strings.Repeat("[", 1_000_000), 400, "malformed JSON"},
		{"null", "null", 200, ""},
		{"array", "[]", 200, ""},
		{"number", "42", 200, ""},
		{"string", `"whatsapp"`, 200, ""},
		{"empty object", "{}", 200, ""},
		{"unknown object", `{"object":"page","entry":[{"id":"1"}]}`, 200, ""},
		{"object without entry", `{"object":"whatsapp_business_account"}`, 200, ""},
		{"entry is a string", `{"object":"whatsapp_business_account","entry":"x"}`, 200, ""},
		{"entry of nulls", `{"object":"whatsapp_business_account","entry":[null,null]}`, 200, ""},
		{"changes is an object", `{"object":"whatsapp_business_account","entry":[{"changes":{"a":1}}]}`, 200, ""},
		{"messages is a string", meta(`{"messages":"nope"}`), 200, ""},
		{"value is null", meta(`null`), 200, ""},
		{"fields of wrong types", meta(`{"messages":[{"from":919876543210,"id":true,"type":["x"],"text":7}]}`), 200, ""},
		{"missing from", meta(`{"messages":[{"id":"w1","type":"text","text":{"body":"hi"}}]}`), 200, ""},
		{"text is null", meta(`{"messages":[{"from":"` + p + `","id":"w2","type":"text","text":null}]}`), 200, ""},
		{"text body is a number", meta(`{"messages":[{"from":"` + p + `","id":"w3","type":"text","text":{"body":5}}]}`), 200, ""},
		{"unknown interactive type", meta(`{"messages":[{"from":"` + p + `","id":"w4","type":"interactive","interactive":{"type":"carousel"}}]}`), 200, ""},
		{"list reply without id", meta(`{"messages":[{"from":"` + p + `","id":"w5","type":"interactive","interactive":{"type":"list_reply","list_reply":{}}}]}`), 200, ""},
		{"order with bad items", meta(`{"messages":[{"from":"` + p + `","id":"w6","type":"order","order":{"product_items":[{"quantity":"two","item_price":"x"},null,7]}}]}`), 200, ""},
		{"order with huge numbers", meta(`{"messages":[{"from":"` + p + `","id":"w7","type":"order","order":{"product_items":[{"product_retailer_id":"a","quantity":1e300,"item_price":1e308,"currency":"EUR"}]}}]}`), 200, ""},
		{"order is empty", meta(`{"messages":[{"from":"` + p + `","id":"w8","type":"order","order":{}}]}`), 200, ""},
		{"every unsupported type", string(others), 200, ""},
		{"empty status", meta(`{"statuses":[{}]}`), 200, ""},
		{"unknown status", meta(`{"statuses":[{"id":"wamid.x","status":"exploded","recipient_id":"` + p + `"}]}`), 200, ""},
		{"errors of wrong type", meta(`{"errors":[1,"two",{"code":"x"}]}`), 200, ""},
		{"other field", `{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"account_update","value":{"x":1}}]}]}`, 200, ""},
		{"kaleyra other field", `{"meta_object":{"field":"templates","value":{}},"extra_info":{}}`, 200, ""},
		{"kaleyra meta_object string", `{"meta_object":"x"}`, 200, ""},
		{"flat notice of numbers", `{"code":2101,"status":404,"message_id":[1]}`, 200, ""},
		{"invalid utf-8", meta(`{"messages":[{"from":"` + p + `","id":"w9","type":"text","text":{"body":"` + "\xff\xfe menu" + `"}}]}`), 200, ""},
		{"duplicate keys", meta(`{"messages":[{"from":"` + p + `","from":"x","id":"w10","id":"w11","type":"text","text":{"body":"hi"}}]}`), 200, ""},
		{"1 MB text", meta(`{"messages":[{"from":"` + p + `","id":"w12","type":"text","text":{"body":"` + strings.Repeat("a", 1<<20) + `"}}]}`), 200, ""},
		{"100 KB message id", meta(`{"messages":[{"from":"` + p + `","id":"` + strings.Repeat("i", 100<<10) + `","type":"text","text":{"body":"hi"}}]}`), 200, ""},
		{"1000-digit sender", meta(`{"messages":[{"from":"` + strings.Repeat("9", 1000) + `","id":"w13","type":"text","text":{"body":"hi"}}]}`), 200, ""},
		{"timestamp not a number", meta(`{"messages":[{"from":"` + p + `","id":"w14","timestamp":"yesterday","type":"text","text":{"body":"hi"}}]}`), 200, ""},
		{"negative timestamp", meta(`{"messages":[{"from":"` + p + `","id":"w15","timestamp":"-99999999999999","type":"text","text":{"body":"hi"}}]}`), 200, ""},
	}
	rs := newRealServer(t, "")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := post(rs, tt.body)
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d: %.300s", rec.Code, tt.want, rec.Body)
			}
			if tt.wantErr != "" {
				if msg := errorBody(t, rec); !strings.Contains(msg, tt.wantErr) {
					t.Errorf("error %q does not say %q", msg, tt.wantErr)
				}
			}
			if n := panicsCounted(t, rs); n != 0 {
				t.Fatalf("%d panics recovered:\n%s", n, rs.logs)
			}
		})
	}
	if len(tests) < 25 {
		t.Fatalf("only %d cases", len(tests))
	}
}

func TestUnicodeText(t *testing.T) {
	tests := []struct {
		name string
		text string
	}{
		{"nul", "me\x00nu"},
		{"only nul", "\x00"},
		{"rtl arabic", "مرحبا"},
		{"rtl override", "\u202egnp.exe"},
		{"emoji", "🍕🍕 pizza 👍🏽"},
		{"zero-width", "\u200bmenu\u200d"},
		{"combining marks", "Z̸̢͎a̴l̵g̷o̶"},
		{"bom inside", "\ufeffmenu"},
		{"replacement char", "\ufffd"},
		{"control chars", "\x01\x1b[31mred\x1b[0m"},
		{"surrogate escape", `\ud800`},
		{"very long line", strings.Repeat("ب", 5000)},
	}
	rs := newRealServer(t, "")
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			phone := "91987654" + string(rune('1'+i%9)) + "000"
			before := rs.sent.Len()
			rec := post(rs, metaMessage(phone, "wamid.u"+tt.name, textMsg(tt.text)))
			if rec.Code != 200 {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			conv, err := rs.store.Load(context.Background(), phone)
			if err != nil || conv.State == "" {
				t.Fatalf("conversation not moved: %+v, %v", conv, err)
			}
			if rs.sent.Len() == before {
				t.Errorf("no reply")
			}
			if strings.Contains(rs.logs.String(), tt.text) && tt.text != "\x00" {
				t.Errorf("message text in the logs")
			}
		})
	}
}

// TestAnswerSaysIgnored checks that a delivery with no event to act on is
// answered {"status":"ignored"}, as its log line and metric say, and one
// with events {"status":"ok"}.
func TestAnswerSaysIgnored(t *testing.T) {
	rs := newRealServer(t, "")
	for body, want := range map[string]string{
		`{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"account_update","value":{"event":"VERIFIED"}}]}]}`: `{"status":"ignored"}`,
		`{"object":"whatsapp_business_account","entry":[]}`:    `{"status":"ignored"}`,
		`{"meta_object":{"field":"messages"},"extra_info":{}}`: `{"status":"ignored"}`,
		`{"object":"page","entry":[]}`:                         `{"status":"ignored"}`,
		`{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messages":[{"from":"919876543210","id":"w-ok","type":"text","text":{"body":"hi"}}]}}]}]}`: `{"status":"ok"}`,
	} {
		if rec := post(rs, body); rec.Code != 200 || strings.TrimSpace(rec.Body.String()) != want {
			t.Errorf("%.60s: %d %s, want 200 %s", body, rec.Code, rec.Body, want)
		}
	}
}
