package bottest

import (
	"fmt"
	"slices"
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/store"
)

// Shopper drives one conversation: each method is one thing the shopper
// does on WhatsApp, and returns what souk sent in answer.
type Shopper struct {
	Bot   *Bot
	Phone string
	Name  string
	shown []Sent // every message souk sent the shopper, oldest first
	id    string
}

// ID sets the inbound message id of the shopper's next message, e.g. to
// send the same message twice; by default every message gets a fresh id.
func (s *Shopper) ID(id string) *Shopper {
	s.id = id
	return s
}

// Shopper returns a driver for the shopper with this number and profile
// name; empty values mean DefaultPhone and DefaultName.
func (b *Bot) Shopper(phone, name string) *Shopper {
	if phone == "" {
		phone = DefaultPhone
	}
	if name == "" {
		name = DefaultName
	}
	return &Shopper{Bot: b, Phone: whatsapp.ShopperID(phone), Name: name}
}

// Text sends typed text.
func (s *Shopper) Text(body string) Reply {
	return s.Send(whatsapp.Event{Kind: whatsapp.KindText, Type: "text", Text: body})
}

// Tap taps the list row or reply button with this id on the newest
// message souk sent the shopper that offered it, as a reply to that
// message: its context is the message id Kaleyra returned for it. So
// tapping an id again after the conversation moved on taps the old menu,
// as a shopper scrolling back does. The tap is a button reply on buttons
// and a list reply otherwise; an id nothing offered works too, a list
// reply to no message, to test taps a state does not expect.
func (s *Shopper) Tap(id string) Reply {
	kind, title, menu := s.offered(id)
	return s.Send(whatsapp.Event{Kind: kind, Type: "interactive", ReplyID: id, Text: title, ContextID: menu})
}

// offered finds id among the rows and buttons sent, newest first.
func (s *Shopper) offered(id string) (kind whatsapp.EventKind, title, menu string) {
	for _, sent := range slices.Backward(s.shown) {
		switch m := sent.Outbound.Message.(type) {
		case whatsapp.Buttons:
			for _, b := range m.Buttons {
				if b.ID == id {
					return whatsapp.KindButtonReply, b.Title, sent.Result.MessageID
				}
			}
		case whatsapp.List:
			for _, sec := range m.Sections {
				for _, r := range sec.Rows {
					if r.ID == id {
						return whatsapp.KindListReply, r.Title, sent.Result.MessageID
					}
				}
			}
		}
	}
	return whatsapp.KindListReply, id, ""
}

// Cart sends a cart from the flow's catalogue.
func (s *Shopper) Cart(items ...whatsapp.OrderItem) Reply {
	o := &whatsapp.Order{CatalogID: s.Bot.Flow.Catalog, Items: items}
	return s.Send(whatsapp.Event{Kind: whatsapp.KindOrder, Type: "order", Order: o})
}

// Location shares a place, as a shopper sending a location pin does.
func (s *Shopper) Location(l whatsapp.Location) Reply {
	return s.Send(whatsapp.Event{Kind: whatsapp.KindLocation, Type: "location", Location: &l})
}

// Media sends a file: m.Type is image, video, audio or document. A file
// with neither an ID nor a URL gets a made-up ID, as WhatsApp always gives
// one. Any other type (a sticker, say) is sent as the webhook decoder
// takes it: a message of that type that is not a file (KindOther).
func (s *Shopper) Media(m whatsapp.Media) Reply {
	if !slices.Contains(whatsapp.MediaTypes, m.Type) {
		return s.Send(whatsapp.Event{Kind: whatsapp.KindOther, Type: m.Type})
	}
	if m.ID == "" && m.URL == "" {
		m.ID = fmt.Sprintf("media-%d", s.Bot.Clock.Now().UnixNano())
	}
	return s.Send(whatsapp.Event{Kind: whatsapp.KindMedia, Type: m.Type, Media: &m})
}

// Send sends any event as this shopper; From and Name are filled in.
func (s *Shopper) Send(ev whatsapp.Event) Reply {
	ev.From, ev.Name = s.Phone, s.Name
	if s.id != "" {
		ev.ID, s.id = s.id, ""
	}
	if ev.Envelope == "" {
		ev.Envelope = whatsapp.EnvelopeMeta
	}
	r := s.Bot.Handle(ev)
	s.shown = append(s.shown, r.Sent...)
	s.Bot.Clock.Advance(time.Second)
	return r
}

// Advance moves the Bot's clock forward, e.g. past the session TTL, and
// nothing else: no idle timer runs (see Wait).
func (s *Shopper) Advance(d time.Duration) { s.Bot.Clock.Advance(d) }

// Wait moves the Bot's clock forward as the shopper says nothing, running
// the idle timers that run out meanwhile (Bot.Wait), and returns the
// reminders sent, which the shopper may then tap.
func (s *Shopper) Wait(d time.Duration) Reply {
	r := s.Bot.Wait(d)
	s.shown = append(s.shown, r.Sent...)
	return r
}

// Conversation is the shopper's conversation as stored.
func (s *Shopper) Conversation() store.Conversation { return s.Bot.Conversation(s.Phone) }

// State is the state the shopper's conversation is in ("" before any).
func (s *Shopper) State() string { return s.Conversation().State }

// Vars are the conversation's vars.
func (s *Shopper) Vars() map[string]any { return s.Conversation().Vars }
