package whatsapp

import "strings"

// appendEvents appends the events of one change value to out: its
// messages, then its statuses, then its errors.
func (v *value) appendEvents(out []Event, env Envelope) []Event {
	biz := v.Metadata.business()
	names := v.contactIndex()
	for i := range v.Messages {
		if m := &v.Messages[i]; m.ID != "" || m.Type != "" || m.From != "" {
			out = append(out, v.messageEvent(m, env, biz, names))
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

// name is the profile name of the contact whose wa_id is from, or whose
// user_id is user (the sender's business-scoped user id), or of the only
// contact when none matches. index, when not nil, is contactIndex's.
func (v *value) name(from, user string, index map[string]string) string {
	if index != nil {
		if n, ok := index[from]; ok && from != "" {
			return n
		}
		if n, ok := index[user]; ok && user != "" {
			return n
		}
	} else {
		for _, c := range v.Contacts {
			if from != "" && phoneOf(c.WaID) == from || user != "" && strings.TrimSpace(string(c.UserID)) == user {
				return string(c.Profile.Name)
			}
		}
	}
	if len(v.Contacts) == 1 {
		return string(v.Contacts[0].Profile.Name)
	}
	return ""
}

// scanContacts is how many contacts name scans; past it, contactIndex
// indexes them once, so that many contacts and messages in one body cost
// linear time, not their product.
const scanContacts = 8

// contactIndex maps wa_id and user_id to profile name, the first contact
// winning as in name's scan; nil for a value with few contacts.
func (v *value) contactIndex() map[string]string {
	if len(v.Contacts) <= scanContacts {
		return nil
	}
	index := make(map[string]string, len(v.Contacts))
	for _, c := range v.Contacts {
		for _, id := range []string{phoneOf(c.WaID), strings.TrimSpace(string(c.UserID))} {
			if _, seen := index[id]; !seen && id != "" {
				index[id] = string(c.Profile.Name)
			}
		}
	}
	return index
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
