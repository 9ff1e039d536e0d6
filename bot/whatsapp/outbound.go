package whatsapp

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Request returns the JSON body souk POSTs to Kaleyra for o, and whether it
// goes to the WABA path (/whatsapp/{waba_id}/messages) rather than the
// business number's.
//
// A session message (every kind but Template) is wrapped:
// {"messaging_object": {...}, "extra_info": {...}}. A Template is the Meta
// message object itself with "extra_info" beside its fields, and waba is
// true. extra_info is o.ExtraInfo normalized, with o.ID as ref unless ref is
// set, and is left out when empty.
//
// The error is a Validate error (errors.Is ErrInvalidMessage) when WhatsApp
// would reject the message or o.To names no shopper (ValidShopper).
func (o Outbound) Request() (body []byte, waba bool, err error) {
	m, err := deref(o.Message)
	if err != nil {
		return nil, false, err
	}
	if err := Validate(m); err != nil {
		return nil, false, err
	}
	to := ShopperID(o.To)
	if !ValidShopper(to) {
		return nil, false, &FieldError{Kind: m.Kind(), Field: "to", Problem: "is neither an E.164 phone number nor a business-scoped user id"}
	}
	obj := m.(wireMessage).object()
	obj.MessagingProduct, obj.RecipientType = "whatsapp", "individual"
	if ValidPhone(to) {
		obj.To = "+" + to
	} else {
		obj.Recipient = to // a shopper known only by their user id
	}
	if _, ok := m.(Template); ok {
		body, err = marshal(templateRequest{messageObject: obj, ExtraInfo: o.extraInfo()})
		return body, true, err
	}
	body, err = marshal(sessionRequest{MessagingObject: obj, ExtraInfo: o.extraInfo()})
	return body, false, err
}

// Ref is the extra_info.ref Request sends for o, and Kaleyra echoes back in
// status callbacks: the normalized ExtraInfo.Ref, or else o.ID.
func (o Outbound) Ref() string {
	return cut(firstOf(o.ExtraInfo.Ref, o.ID), MaxRef)
}

// extraInfo is the extra_info to send, or nil when it would be empty.
func (o Outbound) extraInfo() *ExtraInfo {
	x := o.ExtraInfo
	x.Ref = firstOf(x.Ref, o.ID)
	if x = x.Normalized(); x == (ExtraInfo{}) {
		return nil
	}
	return &x
}

// marshal encodes v without HTML escaping, so that "&" and "<" in texts go
// on the wire as written.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("whatsapp: encoding request: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
