package whatsapp

import (
	"encoding/json"
	"errors"

	"github.com/souk-commerce/souk/internal/jsonfast"
)

// Decode turns one webhook body into events, in the order the body lists
// them (entries, then changes, then messages, statuses and errors of each
// change). It accepts the three envelopes the platforms send:
//
//   - Meta's {"object": "whatsapp_business_account", "entry": [...]}, with
//     any number of entries, changes and messages;
//   - Kaleyra v2's {"meta_object": {"field", "value"}, "extra_info": {...}};
//   - Kaleyra's flat notice {"code": "WAV2101", "status": "not sent", ...},
//     which becomes one KindStatus event.
//
// A body that is not JSON gives a *SyntaxError (errors.Is ErrMalformed) that
// says where. Well-formed JSON of none of these shapes (or with an "object"
// other than whatsapp_business_account) gives no events and
// ErrUnknownEnvelope. Fields of an unexpected type are skipped, changes
// other than "messages" are ignored, and message types souk does not act on
// become KindOther events. Decode never panics.
func Decode(body []byte) ([]Event, error) {
	events, _, err := DecodeEnvelope(body)
	return events, err
}

// DecodeEnvelope is Decode that also says which envelope the body is, even
// when it holds no events (a Meta change souk does not act on, say).
func DecodeEnvelope(body []byte) ([]Event, Envelope, error) {
	spare := getScratch()
	defer spare.release()
	return decode(body, spare)
}

// decode is DecodeEnvelope with spare for the wire slices. The fast path
// takes the bodies platforms send; whatever it is not sure to read as
// encoding/json would goes the general way.
func decode(body []byte, spare *scratch) ([]Event, Envelope, error) {
	if env, ok := scanEnvelope(body, spare); ok {
		return env.events(func() bool { return true })
	}
	return decodeReflect(body)
}

// decodeReflect is DecodeEnvelope for any body. It decodes the body in one
// pass with jsonfast, straight into the wire types: an "entry" that is an
// array gives a non-nil slice (anything else leaves it nil), and a
// "meta_object" of any kind other than null allocates the change, which
// stays zero when the value was not an object; only that zero case,
// ambiguous between {} and a value of another type, looks at the body
// again. scanEnvelope fills the same wire types faster for the bodies it
// takes; FuzzScanSame holds the two to the same results.
func decodeReflect(body []byte) ([]Event, Envelope, error) {
	var env envelope
	if err := unmarshal(body, &env); err != nil {
		return nil, "", err
	}
	return env.events(func() bool { return metaObjectIsObject(body) })
}

// events returns the events of a decoded envelope and which envelope it
// is. metaIsObject reports whether the body's meta_object is a JSON object;
// it is only asked when the decoded change is zero, which a meta_object of
// another kind also decodes to.
func (env envelope) events(metaIsObject func() bool) ([]Event, Envelope, error) {
	switch {
	case env.Object != "" && env.Object != "whatsapp_business_account":
		return nil, "", ErrUnknownEnvelope
	case env.Entry != nil:
		return metaEvents(env.Entry), EnvelopeMeta, nil
	case env.MetaObject != nil && (!env.MetaObject.zero() || metaIsObject()):
		return decodeKaleyra(env), EnvelopeKaleyra, nil
	case env.Code != "" || env.Status != "":
		return []Event{noticeEvent(env, EnvelopeNotice, Metadata{})}, EnvelopeNotice, nil
	}
	return nil, "", ErrUnknownEnvelope
}

// unmarshal decodes data into v leniently: a value of the wrong type leaves
// its field zero, and only a syntax error is returned.
// jsonfast decodes as encoding/json does (FuzzDecodeSame holds it to that
// on webhook bodies).
func unmarshal(data []byte, v any) error {
	err := jsonfast.Unmarshal(data, v)
	if se, ok := errors.AsType[*json.SyntaxError](err); ok {
		return newSyntaxError(data, se)
	}
	return nil
}

// metaEvents returns the events of Meta's entry array.
func metaEvents(entries []entry) []Event {
	var events []Event
	for _, e := range entries {
		for i := range e.Changes {
			if c := &e.Changes[i]; c.isMessages() {
				events = c.Value.appendEvents(events, EnvelopeMeta)
			}
		}
	}
	return events
}

// decodeKaleyra decodes Kaleyra v2's single change and adds what Kaleyra
// puts beside it: the ids to every status, the link to its copy of a
// shopper's file to the file.
func decodeKaleyra(env envelope) []Event {
	c := *env.MetaObject
	if !c.isMessages() {
		return nil
	}
	c.Value.giveLink(string(env.ExtraInfo.MediaURL))
	events := c.Value.appendEvents(nil, EnvelopeKaleyra)
	for _, ev := range events {
		if ev.Status != nil {
			ev.Status.KaleyraID = env.kaleyraID()
			ev.Status.Ref = string(env.ExtraInfo.Ref)
			ev.Status.Status = firstOf(ev.Status.Status, normStatus(env.Status))
		}
	}
	if len(events) == 0 && env.Status != "" {
		events = append(events, noticeEvent(env, EnvelopeKaleyra, c.Value.Metadata.business()))
	}
	return events
}

// metaObjectIsObject reports whether the body's meta_object is a JSON
// object; it decodes the body again and is only asked when the decoded
// change is zero.
func metaObjectIsObject(body []byte) bool {
	var probe struct {
		MetaObject json.RawMessage `json:"meta_object"`
	}
	_ = unmarshal(body, &probe)
	return present(probe.MetaObject, '{')
}

// zero reports whether c is the zero change, which is what a meta_object
// that is not an object decodes to.
func (c *change) zero() bool {
	v := c.Value
	return c.Field == "" && v.Metadata == metadata{} && v.Contacts == nil &&
		v.Messages == nil && v.Statuses == nil && v.Errors == nil
}

// isMessages reports whether the change carries messages and statuses; an
// absent field is taken to mean it does.
func (c *change) isMessages() bool {
	return c.Field == "messages" || c.Field == ""
}

// kaleyraID is the message id Kaleyra sends beside a change or notice.
func (env envelope) kaleyraID() string {
	return firstOf(string(env.MessageID), string(env.ExtraInfo.MessageID))
}

// firstOf returns the first non-empty string.
func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
