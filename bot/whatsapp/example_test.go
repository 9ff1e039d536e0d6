package whatsapp_test

import (
	"errors"
	"fmt"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

func ExampleDecode() {
	body := []byte(`{"meta_object": {"field": "messages", "value": {
		"metadata": {"display_phone_number": "919800011122", "phone_number_id": "5550001112223334"},
		"contacts": [{"profile": {"name": "Asha Rao"}, "wa_id": "919876543210"}],
		"messages": [{"from": "919876543210", "id": "wamid.IN_LIST_01", "timestamp": "1763712060",
			"type": "interactive", "context": {"id": "wamid.OUT_LIST_01"},
			"interactive": {"type": "list_reply", "list_reply": {"id": "pizzas", "title": "Pizzas"}}}]}},
		"extra_info": {"ref": "01HZX"}}`)
	events, err := whatsapp.Decode(body)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, ev := range events {
		fmt.Println(ev.Envelope, ev.Kind, ev.From, ev.Name, ev.ReplyID, ev.Tapped())
	}

	_, err = whatsapp.Decode([]byte(`{"entry": [`))
	fmt.Println(errors.Is(err, whatsapp.ErrMalformed), err)
	// Output:
	// kaleyra list_reply 919876543210 Asha Rao pizzas true
	// true whatsapp: malformed JSON at line 1, column 12 (byte 11): unexpected end of JSON input
}

func ExampleOutbound_Request() {
	out := whatsapp.Outbound{
		ID: "01HZX",
		To: "+91 98765 43210",
		Message: whatsapp.Buttons{
			Body:    "Shall we send your order?",
			Buttons: []whatsapp.Button{{ID: "confirm", Title: "Confirm"}, {ID: "cancel", Title: "Cancel"}},
		},
		ExtraInfo: whatsapp.ExtraInfo{Ref1: "pizzeria", WASource: "api"},
	}
	body, waba, err := out.Request()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(waba)
	fmt.Println(string(body))
	// Output:
	// false
	// {"messaging_object":{"messaging_product":"whatsapp","recipient_type":"individual","to":"+919876543210","type":"interactive","interactive":{"type":"button","body":{"text":"Shall we send your order?"},"action":{"buttons":[{"type":"reply","reply":{"id":"confirm","title":"Confirm"}},{"type":"reply","reply":{"id":"cancel","title":"Cancel"}}]}}},"extra_info":{"ref":"01HZX","ref1":"pizzeria","wa_source":"api"}}
}

func ExampleValidate() {
	err := whatsapp.Validate(whatsapp.List{Body: "What are you craving?", Sections: []whatsapp.Section{
		{Title: "Order", Rows: []whatsapp.Row{{ID: "pizzas", Title: "Hand-stretched pizzas, wood-fired"}}},
	}})
	fmt.Println(err)
	// Output:
	// whatsapp: list message: button is required
	// whatsapp: list message: sections[0].rows[0].title is longer than 24 characters (33)
}

func ExampleCatalogURL() {
	fmt.Println(whatsapp.CatalogURL("+91 11 6119 7855"))
	// Output: https://wa.me/c/911161197855
}
