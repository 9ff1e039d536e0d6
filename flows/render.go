package flows

import (
	"strings"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

// Message is an outbound WhatsApp message, as the flow renders it.
type Message = whatsapp.Message

// Env is what rendering one message needs: the shopper's data and the
// business's defaults.
type Env struct {
	Data *Data
	// Catalog is the flow's default catalog_id.
	Catalog string
	// BusinessNumber is the business's WhatsApp number, for catalogue links.
	BusinessNumber string
}

// renderer renders many strings, keeping the first error.
type renderer struct {
	env *Env
	err error
}

func (r *renderer) s(s Str) string {
	if r.err != nil {
		return ""
	}
	out, err := s.Render(r.env.Data)
	r.err = err
	return out
}

func (r *renderer) catalog(s Str) string {
	if s.Raw != "" {
		return r.s(s)
	}
	return r.env.Catalog
}

// Render implements MessageSpec.
func (t *TextSpec) Render(env *Env) (Message, error) {
	r := &renderer{env: env}
	m := whatsapp.Text{Body: r.s(t.Body), PreviewURL: t.PreviewURL}
	return m, r.err
}

// Render implements MessageSpec.
func (l *ListSpec) Render(env *Env) (Message, error) {
	r := &renderer{env: env}
	m := whatsapp.List{Header: r.s(l.Header), Body: r.s(l.Body), Footer: r.s(l.Footer), Button: r.s(l.Button)}
	for _, sec := range l.Sections {
		out := whatsapp.Section{Title: r.s(sec.Title)}
		for _, row := range sec.Rows {
			out.Rows = append(out.Rows, whatsapp.Row{ID: r.s(row.ID), Title: r.s(row.Title), Description: r.s(row.Description)})
		}
		m.Sections = append(m.Sections, out)
	}
	return m, r.err
}

// Render implements MessageSpec.
func (b *ButtonsSpec) Render(env *Env) (Message, error) {
	r := &renderer{env: env}
	m := whatsapp.Buttons{Header: r.s(b.Header), Body: r.s(b.Body), Footer: r.s(b.Footer)}
	for _, btn := range b.Buttons {
		// A tap matches `on` trimmed, and WhatsApp refuses a button id
		// with spaces around it.
		m.Buttons = append(m.Buttons, whatsapp.Button{ID: strings.TrimSpace(r.s(btn.ID)), Title: r.s(btn.Title)})
	}
	return m, r.err
}

// Render implements MessageSpec.
func (p *ProductSpec) Render(env *Env) (Message, error) {
	r := &renderer{env: env}
	m := whatsapp.Product{CatalogID: r.catalog(p.Catalog), ProductID: r.s(p.Product), Body: r.s(p.Body), Footer: r.s(p.Footer)}
	return m, r.err
}

// Render implements MessageSpec.
func (p *ProductListSpec) Render(env *Env) (Message, error) {
	r := &renderer{env: env}
	m := whatsapp.ProductList{CatalogID: r.catalog(p.Catalog), Header: r.s(p.Header), Body: r.s(p.Body), Footer: r.s(p.Footer)}
	for _, sec := range p.Sections {
		out := whatsapp.ProductSection{Title: r.s(sec.Title)}
		for _, id := range sec.Products {
			out.ProductIDs = append(out.ProductIDs, r.s(id))
		}
		m.Sections = append(m.Sections, out)
	}
	return m, r.err
}

// Render implements MessageSpec. The business's catalogue link is appended
// when the body has none; without a business number, NoNumberCatalogURL.
func (c *CatalogLinkSpec) Render(env *Env) (Message, error) {
	r := &renderer{env: env}
	body := r.s(c.Body)
	if !strings.Contains(body, catalogURLPrefix) {
		link := NoNumberCatalogURL
		if strings.TrimSpace(env.BusinessNumber) != "" {
			link = whatsapp.CatalogURL(env.BusinessNumber)
		}
		body = strings.TrimRight(body, " ") + " " + link
	}
	preview := c.PreviewURL == nil || *c.PreviewURL
	return whatsapp.CatalogLink{Body: strings.TrimSpace(body), PreviewURL: preview}, r.err
}

// Render implements MessageSpec.
func (t *TemplateSpec) Render(env *Env) (Message, error) {
	r := &renderer{env: env}
	m := whatsapp.Template{Name: r.s(t.Name), Language: r.s(t.Language), CatalogID: r.catalog(t.Catalog), ProductID: r.s(t.Product)}
	for _, p := range t.Body {
		m.BodyParams = append(m.BodyParams, r.s(p))
	}
	return m, r.err
}
