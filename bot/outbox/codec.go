package outbox

import (
	"encoding/json"
	"fmt"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/store"
)

// payload is how one outbound message is kept in the outbox.
type payload struct {
	Kind      string             `json:"kind"`
	To        string             `json:"to"`
	Message   json.RawMessage    `json:"message"`
	ExtraInfo whatsapp.ExtraInfo `json:"extra_info,omitzero"`
}

// kinds makes an empty message of each kind to decode into.
var kinds = map[string]func(json.RawMessage) (whatsapp.Message, error){
	"text":         decodeAs[whatsapp.Text],
	"list":         decodeAs[whatsapp.List],
	"buttons":      decodeAs[whatsapp.Buttons],
	"product":      decodeAs[whatsapp.Product],
	"product_list": decodeAs[whatsapp.ProductList],
	"catalog_link": decodeAs[whatsapp.CatalogLink],
	"template":     decodeAs[whatsapp.Template],
}

func decodeAs[T whatsapp.Message](raw json.RawMessage) (whatsapp.Message, error) {
	var m T
	err := json.Unmarshal(raw, &m)
	return m, err
}

// Encode turns a reply into an outbox entry.
func Encode(o whatsapp.Outbound) (store.OutMessage, error) {
	if o.Message == nil {
		return store.OutMessage{}, fmt.Errorf("outbox: message %s has no body", o.ID)
	}
	if kinds[o.Message.Kind()] == nil {
		return store.OutMessage{}, fmt.Errorf("outbox: message %s: unknown kind %q", o.ID, o.Message.Kind())
	}
	msg, err := json.Marshal(o.Message)
	if err != nil {
		return store.OutMessage{}, fmt.Errorf("outbox: encoding message %s: %w", o.ID, err)
	}
	p, err := json.Marshal(payload{Kind: o.Message.Kind(), To: o.To, Message: msg, ExtraInfo: o.ExtraInfo})
	if err != nil {
		return store.OutMessage{}, fmt.Errorf("outbox: encoding message %s: %w", o.ID, err)
	}
	return store.OutMessage{ID: o.ID, Phone: o.To, Payload: p}, nil
}

// EncodeAll encodes replies in order.
func EncodeAll(msgs []whatsapp.Outbound) ([]store.OutMessage, error) {
	out := make([]store.OutMessage, 0, len(msgs))
	for _, m := range msgs {
		e, err := Encode(m)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// Decode turns an outbox entry back into the reply it was made from.
func Decode(m store.OutMessage) (whatsapp.Outbound, error) {
	var p payload
	if err := json.Unmarshal(m.Payload, &p); err != nil {
		return whatsapp.Outbound{}, fmt.Errorf("outbox: decoding message %s: %w", m.ID, err)
	}
	dec := kinds[p.Kind]
	if dec == nil {
		return whatsapp.Outbound{}, fmt.Errorf("outbox: message %s: unknown kind %q", m.ID, p.Kind)
	}
	msg, err := dec(p.Message)
	if err != nil {
		return whatsapp.Outbound{}, fmt.Errorf("outbox: decoding message %s: %w", m.ID, err)
	}
	to := p.To
	if to == "" {
		to = m.Phone
	}
	return whatsapp.Outbound{ID: m.ID, To: to, Message: msg, ExtraInfo: p.ExtraInfo}, nil
}
