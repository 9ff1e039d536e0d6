package whatsapp

import "strings"

// messageEvent turns one messages[] item into an Event.
func (v *value) messageEvent(m *message, env Envelope, biz Metadata, names map[string]string) Event {
	from, user := phoneOf(m.From), strings.TrimSpace(string(m.FromUserID))
	if from == "" {
		from = user
	}
	ev := Event{
		Kind:      KindOther,
		Envelope:  env,
		ID:        string(m.ID),
		From:      from,
		UserID:    user,
		Name:      v.name(from, user, names),
		Timestamp: unixTime(m.Timestamp),
		Type:      string(m.Type),
		ContextID: string(m.Context.ID),
		Business:  biz,
	}
	m.fill(&ev)
	return ev
}

// fill sets the kind and the kind's fields of ev; other types stay KindOther.
func (m *message) fill(ev *Event) {
	switch m.Type {
	case "text":
		ev.Kind, ev.Text = KindText, string(m.Text.Body)
	case "interactive":
		m.Interactive.fill(ev)
	case "button":
		ev.Kind = KindTemplateButton
		ev.ReplyID, ev.Text = string(m.Button.Payload), string(m.Button.Text)
	case "order":
		ev.Kind, ev.Order = KindOrder, m.Order.order()
	case "location":
		if l, ok := m.Location.location(); ok {
			ev.Kind, ev.Location = KindLocation, l
		}
	default:
		if f, ok := m.media(); ok {
			ev.Kind, ev.Media = KindMedia, f
		}
	}
}

// media is the file an image, video, audio or document message carries;
// false when it names none (no id and no link), which leaves the message
// KindOther.
func (m *message) media() (*Media, bool) {
	w := m.mediaObject()
	if w == nil {
		return nil, false
	}
	id, url := strings.TrimSpace(string(w.ID)), strings.TrimSpace(string(w.URL))
	if id == "" && url == "" {
		return nil, false
	}
	return &Media{Type: string(m.Type), ID: id, MimeType: string(w.MimeType), SHA256: string(w.SHA256),
		Caption: string(w.Caption), Filename: string(w.Filename), URL: url, Voice: w.Voice == "true"}, true
}

// mediaObject is the object under the key of the message's type, for an
// image, video, audio or document; nil for other types or when absent.
func (m *message) mediaObject() *wireMedia {
	switch m.Type {
	case "image":
		return m.Image
	case "video":
		return m.Video
	case "audio":
		return m.Audio
	case "document":
		return m.Document
	}
	return nil
}

// giveLink makes link, Kaleyra's copy of a shopper's file
// (extra_info.media_url), the link of the one file among the change's
// messages, in place of any link Meta gave. With several files the link
// could be any one's, so none gets it.
func (v *value) giveLink(link string) {
	if link == "" {
		return
	}
	var only *wireMedia
	for i := range v.Messages {
		if w := v.Messages[i].mediaObject(); w != nil {
			if only != nil {
				return
			}
			only = w
		}
	}
	if only != nil {
		only.URL = flexString(link)
	}
}

// location is the place a location message shares; false when it has no
// latitude and longitude on Earth, which leaves the message KindOther.
func (l wireLocation) location() (*Location, bool) {
	out := &Location{Latitude: l.Latitude.v, Longitude: l.Longitude.v, Name: string(l.Name), Address: string(l.Address), URL: string(l.URL)}
	if !l.Latitude.ok || !l.Longitude.ok || !out.OnEarth() {
		return nil, false
	}
	return out, true
}

// fill sets a list or button reply; other interactive replies (flows, ...)
// stay KindOther.
func (r interactiveReply) fill(ev *Event) {
	switch r.Type {
	case "list_reply":
		ev.Kind = KindListReply
		ev.ReplyID, ev.Text = string(r.ListReply.ID), string(r.ListReply.Title)
	case "button_reply":
		ev.Kind = KindButtonReply
		ev.ReplyID, ev.Text = string(r.ButtonReply.ID), string(r.ButtonReply.Title)
	}
}

func (o wireOrder) order() *Order {
	out := &Order{CatalogID: string(o.CatalogID), Text: string(o.Text), Items: []OrderItem{}}
	for _, it := range o.ProductItems {
		if it.ProductRetailerID == "" {
			continue // no SKU: nothing to match in the catalogue
		}
		out.Items = append(out.Items, OrderItem{
			ID:       string(it.ProductRetailerID),
			Quantity: int(it.Quantity),
			Price:    float64(it.ItemPrice),
			Currency: string(it.Currency),
		})
	}
	return out
}
