package bottest

import (
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
	last  []whatsapp.Message
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
	return &Shopper{Bot: b, Phone: whatsapp.Digits(phone), Name: name}
}

// Text sends typed text.
func (s *Shopper) Text(body string) Reply {
	return s.Send(whatsapp.Event{Kind: whatsapp.KindText, Type: "text", Text: body})
}

// Tap taps the list row or reply button with this id. It is a button
// reply when the last message souk sent offered a button with that id, and
// a list reply otherwise, so an id nothing offered (a stale tap) works too.
func (s *Shopper) Tap(id string) Reply {
	kind, title := s.offered(id)
	return s.Send(whatsapp.Event{Kind: kind, Type: "interactive", ReplyID: id, Text: title})
}

// offered finds id among the rows and buttons last sent.
func (s *Shopper) offered(id string) (whatsapp.EventKind, string) {
	for _, m := range slices.Backward(s.last) {
		switch m := m.(type) {
		case whatsapp.Buttons:
			for _, b := range m.Buttons {
				if b.ID == id {
					return whatsapp.KindButtonReply, b.Title
				}
			}
		case whatsapp.List:
			for _, sec := range m.Sections {
				for _, r := range sec.Rows {
					if r.ID == id {
						return whatsapp.KindListReply, r.Title
					}
				}
			}
		}
	}
	return whatsapp.KindListReply, id
}

// Cart sends a cart from the flow's catalogue.
func (s *Shopper) Cart(items ...whatsapp.OrderItem) Reply {
	o := &whatsapp.Order{CatalogID: s.Bot.Flow.Catalog, Items: items}
	return s.Send(whatsapp.Event{Kind: whatsapp.KindOrder, Type: "order", Order: o})
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
	if len(r.Sent) > 0 {
		s.last = r.Messages()
	}
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
	if len(r.Sent) > 0 {
		s.last = r.Messages()
	}
	return r
}

// Conversation is the shopper's conversation as stored.
func (s *Shopper) Conversation() store.Conversation { return s.Bot.Conversation(s.Phone) }

// State is the state the shopper's conversation is in ("" before any).
func (s *Shopper) State() string { return s.Conversation().State }

// Vars are the conversation's vars.
func (s *Shopper) Vars() map[string]any { return s.Conversation().Vars }
