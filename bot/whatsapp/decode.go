package whatsapp

import (
	"encoding/json"
	"errors"
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
	var env envelope
	if err := unmarshal(body, &env); err != nil {
		return nil, err
	}
	switch {
	case env.Object != "" && env.Object != "whatsapp_business_account":
		return nil, ErrUnknownEnvelope
	case present(env.Entry, '['):
		return decodeMeta(env.Entry), nil
	case present(env.MetaObject, '{'):
		return decodeKaleyra(env), nil
	case env.Code != "" || env.Status != "":
		return []Event{noticeEvent(env, EnvelopeNotice, Metadata{})}, nil
	}
	return nil, ErrUnknownEnvelope
}

// unmarshal decodes data into v leniently: a value of the wrong type leaves
// its field zero, and only a syntax error is returned.
func unmarshal(data []byte, v any) error {
	err := json.Unmarshal(data, v)
	if se, ok := errors.AsType[*json.SyntaxError](err); ok {
		return newSyntaxError(data, se)
	}
	return nil
}

// decodeMeta decodes the entry array of Meta's envelope.
func decodeMeta(raw json.RawMessage) []Event {
	var entries []entry
	_ = unmarshal(raw, &entries)
	var events []Event
	for _, e := range entries {
		for _, c := range e.Changes {
			if c.isMessages() {
				events = append(events, c.Value.events(EnvelopeMeta)...)
			}
		}
	}
	return events
}

// decodeKaleyra decodes Kaleyra v2's single change and adds the ids Kaleyra
// puts beside it to every status.
func decodeKaleyra(env envelope) []Event {
	var c change
	_ = unmarshal(env.MetaObject, &c)
	if !c.isMessages() {
		return nil
	}
	events := c.Value.events(EnvelopeKaleyra)
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

// isMessages reports whether the change carries messages and statuses; an
// absent field is taken to mean it does.
func (c change) isMessages() bool {
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
