package whatsapp_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

// BenchmarkDecode decodes real webhook bodies, one per envelope and kind the
// hot path sees most.
func BenchmarkDecode(b *testing.B) {
	for _, name := range []string{"meta_text", "meta_list_reply", "kaleyra_button_reply", "meta_order"} {
		body, err := os.ReadFile("testdata/inbound/" + name + ".json")
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if _, err := whatsapp.Decode(body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRequest builds the outbound request body of a list reply.
func BenchmarkRequest(b *testing.B) {
	out := whatsapp.Outbound{ID: "0123456789abcdef0123456789abcdef", To: "919876543210", Message: whatsapp.List{
		Header: "Luigi's Pizzeria", Body: "Hi Asha! What are you craving?", Button: "Menu",
		Sections: []whatsapp.Section{{Title: "Order", Rows: []whatsapp.Row{{ID: "pizzas", Title: "Pizzas"}, {ID: "drinks", Title: "Drinks"}}}}}}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := out.Request(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidate checks valid messages, as Request does before every send.
func BenchmarkValidate(b *testing.B) {
	for _, tt := range validMessages {
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := whatsapp.Validate(tt.msg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecodeManyContacts decodes one value with 2,000 contacts and
// 2,000 messages: linear in the body, not in contacts times messages.
func BenchmarkDecodeManyContacts(b *testing.B) {
	var contacts, messages []string
	for i := range 2000 {
		contacts = append(contacts, fmt.Sprintf(`{"profile":{"name":"N%d"},"wa_id":"9198%08d"}`, i, i))
		messages = append(messages, fmt.Sprintf(`{"from":"9198%08d","id":"wamid.%d","timestamp":"1763712000","type":"text","text":{"body":"hi"}}`, i, i))
	}
	body := []byte(`{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"contacts":[` +
		strings.Join(contacts, ",") + `],"messages":[` + strings.Join(messages, ",") + `]}}]}]}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := whatsapp.Decode(body); err != nil {
			b.Fatal(err)
		}
	}
}
