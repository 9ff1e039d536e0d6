package whatsapp

import "strings"

// events returns the events of one change value: its messages, then its
// statuses, then its errors.
func (v value) events(env Envelope) []Event {
	biz := v.Metadata.business()
	var out []Event
	for _, m := range v.Messages {
		if m.ID != "" || m.Type != "" || m.From != "" {
			out = append(out, v.messageEvent(m, env, biz))
		}
	}
	for _, s := range v.Statuses {
		if s.ID != "" || s.Status != "" {
			out = append(out, statusEvent(s, env, biz))
		}
	}
	for _, e := range v.Errors {
		out = append(out, errorEvent(e, env, biz))
	}
	return out
}

func (m metadata) business() Metadata {
	return Metadata{
		DisplayPhoneNumber: string(m.DisplayPhoneNumber),
		PhoneNumberID:      string(m.PhoneNumberID),
	}
}

// name is the profile name of the contact whose wa_id is from, or of the
// only contact when none matches.
func (v value) name(from string) string {
	for _, c := range v.Contacts {
		if from != "" && phoneOf(c.WaID) == from {
			return string(c.Profile.Name)
		}
	}
	if len(v.Contacts) == 1 {
		return string(v.Contacts[0].Profile.Name)
	}
	return ""
}

// phoneOf strips the '+' some senders put before a number.
func phoneOf(s flexString) string {
	return strings.TrimPrefix(strings.TrimSpace(string(s)), "+")
}

// normStatus spells a status the one way souk compares it: lower case, and
// "not sent" for Kaleyra's not-sent variants.
func normStatus(s flexString) string {
	st := strings.ToLower(strings.TrimSpace(string(s)))
	switch st {
	case "not-sent", "not_sent", "notsent":
		return "not sent"
	}
	return st
}
