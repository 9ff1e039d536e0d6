package bot

import (
	"crypto/rand"
	"encoding/base64"

	"github.com/souk-commerce/souk/bot/catalog"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/store"
)

// dataOf is what the flow's templates see of a conversation.
func dataOf(f *flows.Flow, c store.Conversation) *flows.Data {
	vars := c.Vars
	if vars == nil {
		vars = map[string]any{}
	}
	order, _ := catalog.Price(c.Order, f.Products)
	return &flows.Data{Contact: flows.Contact{Name: c.Name}, Phone: c.Phone, Vars: vars, Order: order, Location: c.Location, Media: c.Media}
}

// outgoing collects the messages of one move, and how many were dropped.
type outgoing struct {
	msgs    []whatsapp.Message
	dropped int
}

// render adds the state's messages in order. A message that fails to
// render, or whose rendered text breaks a WhatsApp limit, is logged as an
// error with its flow position and dropped (never cut and sent).
func (e *Engine) render(out *outgoing, f *flows.Flow, st *flows.State, c store.Conversation) {
	data := dataOf(f, c)
	env := &flows.Env{Data: data, Catalog: e.defaults(f, c, data).Catalog, BusinessNumber: e.cfg.BusinessNumber}
	for _, s := range st.Send {
		m, err := s.Spec.Render(env)
		if err != nil {
			e.log.Error("message not sent: rendering failed", "at", f.File, "line", s.Pos.Line, "col", s.Pos.Col,
				"kind", s.Kind, "shopper", MaskPhone(c.Phone), "err", hidePhone(err, c.Phone))
			out.dropped++
			continue
		}
		if err := whatsapp.Validate(m); err != nil {
			e.log.Error("message not sent: the rendered message breaks a WhatsApp limit", "at", f.File, "line", s.Pos.Line, "col", s.Pos.Col, "kind", s.Kind, "err", err)
			out.dropped++
			continue
		}
		out.msgs = append(out.msgs, m)
	}
}

// valid adds the messages a handler queued that WhatsApp would take; each
// other one is logged as an error with the handler's name and dropped.
func (e *Engine) valid(out *outgoing, handler string, c store.Conversation, queued []whatsapp.Message) {
	for i, m := range queued {
		if err := whatsapp.Validate(m); err != nil {
			e.log.Error("message not sent: a handler's message breaks a WhatsApp limit", "handler", handler,
				"message", i+1, "shopper", MaskPhone(c.Phone), "err", hidePhone(err, c.Phone))
			out.dropped++
			continue
		}
		out.msgs = append(out.msgs, m)
	}
}

// errorText is the flow's error_text for data, or DefaultErrorText when it
// does not render to a text WhatsApp takes.
func errorText(f *flows.Flow, data *flows.Data) whatsapp.Message {
	body, err := f.ErrorText.Render(data)
	m := whatsapp.Text{Body: body}
	if err != nil || whatsapp.Validate(m) != nil {
		m.Body = flows.DefaultErrorText
	}
	return m
}

// defaults are the flow's catalog and extra_info for conversation c,
// rendered where they are templates (from data, or c's when data is nil).
// A string that fails to render is logged and left empty.
func (e *Engine) defaults(f *flows.Flow, c store.Conversation, data *flows.Data) flows.Defaults {
	if !f.Templated() {
		return flows.Defaults{Catalog: f.Catalog, ExtraInfo: f.ExtraInfo}
	}
	if data == nil {
		data = dataOf(f, c)
	}
	d, err := f.DefaultsFor(data)
	if err != nil {
		e.log.Error("flow default not rendered; it is left empty", "at", f.File, "shopper", MaskPhone(c.Phone), "err", hidePhone(err, c.Phone))
	}
	return d
}

// address turns messages into outbound requests for conversation c's
// shopper, each with its own id in extra_info.ref unless the flow sets ref
// (or it renders empty).
func (e *Engine) address(f *flows.Flow, c store.Conversation, msgs []whatsapp.Message) []whatsapp.Outbound {
	out := make([]whatsapp.Outbound, len(msgs))
	if len(msgs) == 0 {
		return out
	}
	extra := e.defaults(f, c, nil).ExtraInfo
	for i, m := range msgs {
		id := newID()
		x := extra
		if x.Ref == "" {
			x.Ref = id
		}
		out[i] = whatsapp.Outbound{ID: id, To: c.Phone, Message: m, ExtraInfo: x}
	}
	return out
}

// newID is a random id in 16 URL-safe characters: short, because it
// names two Redis keys of every reply for the status TTL. It never starts
// with - (or _), which a command line would take for a flag: such a first
// character loses its top bit, leaving 95 random bits.
func newID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	if b[0]>>2 >= 62 { // '-' and '_' are the last two of base64url's alphabet
		b[0] &^= 0x80
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}
