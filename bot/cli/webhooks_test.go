package cli

import (
	"fmt"
	"time"
)

const (
	shopper  = "919876543210"
	business = "919800011122"
)

// metaHook wraps one message object in Meta's envelope.
func metaHook(message string) string {
	return `{"object":"whatsapp_business_account","entry":[{"id":"410200300400500","changes":[{"field":"messages","value":{
 "messaging_product":"whatsapp","metadata":{"display_phone_number":"` + business + `","phone_number_id":"5550001112223334"},
 "contacts":[{"profile":{"name":"Asha"},"wa_id":"` + shopper + `"}],"messages":[` + message + `]}}]}]}`
}

// kaleyraHook wraps one message object in Kaleyra v2's envelope.
func kaleyraHook(message string) string {
	return `{"meta_object":{"field":"messages","value":{"messaging_product":"whatsapp",
 "metadata":{"display_phone_number":"` + business + `","phone_number_id":"5550001112223334"},
 "contacts":[{"profile":{"name":"Asha"},"wa_id":"` + shopper + `"}],"messages":[` + message + `]}},
 "extra_info":{"waba_id":"1090","trace_id":"t-1"}}`
}

func msg(id, kindAndBody string) string {
	return fmt.Sprintf(`{"from":"%s","id":"%s","timestamp":"%d",%s}`, shopper, id, time.Now().Unix(), kindAndBody)
}

func textMsg(id, body string) string {
	return msg(id, `"type":"text","text":{"body":"`+body+`"}`)
}

func listReply(id, row string) string {
	return msg(id, `"type":"interactive","interactive":{"type":"list_reply","list_reply":{"id":"`+row+`","title":"x"}}`)
}

func buttonReply(id, button string) string {
	return msg(id, `"type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"`+button+`","title":"x"}}`)
}

func orderMsg(id string) string {
	return msg(id, `"type":"order","order":{"catalog_id":"1033000049","text":"no onions","product_items":[
  {"product_retailer_id":"pz-margherita","quantity":2,"item_price":9.5,"currency":"EUR"},
  {"product_retailer_id":"dr-lemonade","quantity":1,"item_price":3,"currency":"EUR"}]}`)
}

func statusHook(id string) string {
	return `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
 "messaging_product":"whatsapp","metadata":{"display_phone_number":"` + business + `","phone_number_id":"5"},
 "statuses":[{"id":"` + id + `","status":"delivered","timestamp":"1763712000","recipient_id":"` + shopper + `"}]}}]}]}`
}
