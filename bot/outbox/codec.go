package outbox

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/store"
)

// payload is how one outbound message is kept in the outbox: its kind, and
// the message itself under the key of that kind, so that one Marshal writes
// it and one Unmarshal reads it back. Entries written before this format
// kept the message as JSON inside the payload under "message"; Decode still
// reads those, and Encode writes them for a message given by pointer.
type payload struct {
	Kind        string                `json:"kind"`
	To          string                `json:"to"`
	Message     json.RawMessage       `json:"message,omitempty"`
	Text        *whatsapp.Text        `json:"text,omitempty"`
	List        *whatsapp.List        `json:"list,omitempty"`
	Buttons     *whatsapp.Buttons     `json:"buttons,omitempty"`
	Product     *whatsapp.Product     `json:"product,omitempty"`
	ProductList *whatsapp.ProductList `json:"product_list,omitempty"`
	CatalogLink *whatsapp.CatalogLink `json:"catalog_link,omitempty"`
	Template    *whatsapp.Template    `json:"template,omitempty"`
	ExtraInfo   whatsapp.ExtraInfo    `json:"extra_info,omitzero"`
	SendBy      time.Time             `json:"send_by,omitzero"`
}

// set puts m under its kind's key; false for a kind (or a pointer) it does
// not know.
func (p *payload) set(m whatsapp.Message) bool {
	switch m := m.(type) {
	case whatsapp.Text:
		p.Text = &m
	case whatsapp.List:
		p.List = &m
	case whatsapp.Buttons:
		p.Buttons = &m
	case whatsapp.Product:
		p.Product = &m
	case whatsapp.ProductList:
		p.ProductList = &m
	case whatsapp.CatalogLink:
		p.CatalogLink = &m
	case whatsapp.Template:
		p.Template = &m
	default:
		return false
	}
	return true
}

// message is the message under the key Kind names, or nil.
func (p *payload) message() whatsapp.Message {
	switch {
	case p.Kind == "text" && p.Text != nil:
		return *p.Text
	case p.Kind == "list" && p.List != nil:
		return *p.List
	case p.Kind == "buttons" && p.Buttons != nil:
		return *p.Buttons
	case p.Kind == "product" && p.Product != nil:
		return *p.Product
	case p.Kind == "product_list" && p.ProductList != nil:
		return *p.ProductList
	case p.Kind == "catalog_link" && p.CatalogLink != nil:
		return *p.CatalogLink
	case p.Kind == "template" && p.Template != nil:
		return *p.Template
	}
	return nil
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
	pl := payload{Kind: o.Message.Kind(), To: o.To, ExtraInfo: o.ExtraInfo, SendBy: o.SendBy}
	if !pl.set(o.Message) {
		msg, err := json.Marshal(o.Message)
		if err != nil {
			return store.OutMessage{}, fmt.Errorf("outbox: encoding message %s: %w", o.ID, err)
		}
		pl.Message = msg
	}
	p, err := json.Marshal(pl)
	if err != nil {
		return store.OutMessage{}, fmt.Errorf("outbox: encoding message %s: %w", o.ID, err)
	}
	return store.OutMessage{ID: o.ID, Phone: o.To, Payload: p, Marshaled: true}, nil
}

// withoutSendBy is m with no SendBy: a dead letter for the window that an
// operator re-drives, once the shopper wrote again, is then sent, as one
// the window refused at the move is.
func withoutSendBy(m store.OutMessage) store.OutMessage {
	o, err := Decode(m)
	if err != nil {
		return m
	}
	o.SendBy = time.Time{}
	e, err := Encode(o)
	if err != nil {
		return m
	}
	m.Payload, m.Marshaled = e.Payload, true
	return m
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
	msg := p.message()
	if msg == nil {
		var err error
		if msg, err = dec(p.Message); err != nil {
			return whatsapp.Outbound{}, fmt.Errorf("outbox: decoding message %s: %w", m.ID, err)
		}
	}
	to := p.To
	if to == "" {
		to = m.Phone
	}
	return whatsapp.Outbound{ID: m.ID, To: to, Message: msg, ExtraInfo: p.ExtraInfo, SendBy: p.SendBy}, nil
}
