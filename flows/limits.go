package flows

import (
	"fmt"
	"strings"
	"text/template/parse"
	"unicode/utf8"

	wa "github.com/souk-commerce/souk/bot/whatsapp"
)

// field is one string of a message with the WhatsApp limit on its length.
type field struct {
	what     string // how the message names it: "list header"
	s        Str
	max      int
	code     string
	required bool // must not be blank when written
}

// checkLimits reports every WhatsApp limit a message's literal text or
// item counts break. A templated string breaks one only when the text
// outside its actions does, whatever they render (see fixedLen); the
// rendered text is checked again at send time.
func checkLimits(w *walker, f *Flow, _ Options) {
	for _, name := range f.StateNames {
		for _, s := range f.States[name].Send {
			for _, fl := range messageFields(s.Spec) {
				w.checkField(fl)
			}
			if c, ok := s.Spec.(*CatalogLinkSpec); ok {
				w.checkLinkRoom(c)
			}
			if t, ok := s.Spec.(*TemplateSpec); ok {
				w.checkParams(t)
			}
			w.checkCounts(s)
		}
	}
}

func (w *walker) checkField(fl field) {
	if fl.s.IsZero() {
		return
	}
	if fl.required && strings.TrimSpace(fl.s.Raw) == "" && !w.hasDiagAt(fl.s.Pos) {
		w.diags = append(w.diags, Diagnostic{File: w.file, Pos: fl.s.Pos, Code: "empty-field",
			Message: fl.what + " must not be empty"})
		return
	}
	n, literal := fixedLen(fl.s)
	switch {
	case !literal && n > fl.max:
		w.diags = append(w.diags, Diagnostic{File: w.file, Pos: fl.s.Pos, Code: fl.code,
			Message: fmt.Sprintf("%s is at least %d characters long whatever its template renders; WhatsApp allows at most %d", fl.what, n, fl.max)})
	case literal && n > fl.max:
		w.diags = append(w.diags, Diagnostic{File: w.file, Pos: fl.s.Pos, Code: fl.code,
			Message: fmt.Sprintf("%s is %d characters long; WhatsApp allows at most %d", fl.what, n, fl.max)})
	case !literal && fl.max <= maxShortField && fl.s.prints():
		w.diags = append(w.diags, Diagnostic{File: w.file, Pos: fl.s.Pos, Code: "templated-short-field", Warning: true,
			Message: fmt.Sprintf("%s is a template: for a shopper whose data renders it past WhatsApp's %d characters, this message is not sent; keep it literal, or leave room", fl.what, fl.max)})
	}
}

// maxShortField is the longest limit of the fields a template is warned
// about: titles, buttons, headers, footers, row descriptions, where a
// long name or var breaks the limit easily.
const maxShortField = 72

// prints reports a template that writes data out, not only chooses
// between texts written in it ({{if .Vars.vip}}Again{{else}}Menu{{end}}).
func (s Str) prints() bool {
	return s.tmpl != nil && s.tmpl.Tree != nil && printsIn(s.tmpl.Tree.Root)
}

func printsIn(n parse.Node) bool {
	switch n := n.(type) {
	case *parse.ActionNode:
		return len(n.Pipe.Decl) == 0
	case *parse.ListNode:
		if n == nil {
			return false
		}
		for _, c := range n.Nodes {
			if printsIn(c) {
				return true
			}
		}
	case *parse.IfNode:
		return printsIn(n.List) || printsIn(n.ElseList)
	case *parse.RangeNode:
		return printsIn(n.List) || printsIn(n.ElseList)
	case *parse.WithNode:
		return printsIn(n.List) || printsIn(n.ElseList)
	}
	return false
}

// checkLinkRoom reports a literal catalog_link body that fits WhatsApp's
// limit only without the catalogue link rendering appends to it: a space,
// catalogURLPrefix and a business number of at least minNumberDigits.
func (w *walker) checkLinkRoom(c *CatalogLinkSpec) {
	n, literal := fixedLen(c.Body)
	if !literal || n > wa.MaxTextBody || strings.Contains(c.Body.Raw, catalogURLPrefix) {
		return
	}
	if with := n + 1 + len(catalogURLPrefix) + minNumberDigits; with > wa.MaxTextBody {
		w.diags = append(w.diags, Diagnostic{File: w.file, Pos: c.Body.Pos, Code: "text-too-long",
			Message: fmt.Sprintf("catalog_link body is %d characters long, at least %d with the catalogue link souk appends; WhatsApp allows at most %d", n, with, wa.MaxTextBody)})
	}
}

// checkParams reports a template body parameter whose literal text (of a
// templated one, any text outside its actions) holds what WhatsApp refuses
// in a parameter: a new line, a tab, too many spaces in a row.
func (w *walker) checkParams(t *TemplateSpec) {
	for _, p := range t.Body {
		if w.hasDiagAt(p.Pos) {
			continue // already reported: blank, say
		}
		for _, part := range literalParts(p) {
			if problem := wa.ParamProblem(part); problem != "" {
				w.diags = append(w.diags, Diagnostic{File: w.file, Pos: p.Pos, Code: "template-param-format",
					Message: "template body parameter " + problem + " (WhatsApp refuses it)"})
				break
			}
		}
	}
}

// literalParts is s as written, or of a template each run of text outside
// its actions.
func literalParts(s Str) []string {
	if s.tmpl == nil {
		if !s.literal() {
			return nil // a template that did not compile: its error is reported
		}
		return []string{s.Raw}
	}
	var parts []string
	for _, node := range s.tmpl.Tree.Root.Nodes {
		if t, ok := node.(*parse.TextNode); ok {
			parts = append(parts, string(t.Text))
		}
	}
	return parts
}

// minNumberDigits is the fewest digits of an E.164 number WhatsApp serves.
const minNumberDigits = 8

// fixedLen is how many characters s renders to at least, and whether it is
// a literal. Of a template it counts the text outside its actions: the
// text inside {{if}}, {{range}} and {{with}} may not render. A string
// whose template did not compile counts 0 (its error is reported).
func fixedLen(s Str) (n int, literal bool) {
	for _, part := range literalParts(s) {
		n += utf8.RuneCountInString(part)
	}
	return n, s.literal()
}

// hasDiagAt reports whether a diagnostic already points at p, so that one
// mistake is not reported twice.
func (w *walker) hasDiagAt(p Pos) bool {
	for _, d := range w.diags {
		if d.Pos == p {
			return true
		}
	}
	return false
}

// messageFields lists the limited strings of one message.
func messageFields(spec MessageSpec) []field {
	switch m := spec.(type) {
	case *TextSpec:
		return []field{{"text body", m.Body, wa.MaxTextBody, "text-too-long", true}}
	case *CatalogLinkSpec:
		return []field{{"catalog_link body", m.Body, wa.MaxTextBody, "text-too-long", true}}
	case *ListSpec:
		return listFields(m)
	case *ButtonsSpec:
		return buttonsFields(m)
	case *ProductSpec:
		return []field{
			{"product id", m.Product, maxID, "product-id-too-long", true},
			{"product body", m.Body, wa.MaxBody, "body-too-long", false},
			{"product footer", m.Footer, wa.MaxFooter, "footer-too-long", false},
		}
	case *ProductListSpec:
		return productListFields(m)
	case *TemplateSpec:
		return templateFields(m)
	}
	return nil
}

// maxID bounds ids WhatsApp sets no documented limit for, so that the
// length check never fires for them while blank ones are still caught.
const maxID = 1 << 20

func interactiveFields(kind string, header, body, footer Str, headerRequired bool) []field {
	return []field{
		{kind + " header", header, wa.MaxHeader, "header-too-long", headerRequired},
		{kind + " body", body, wa.MaxBody, "body-too-long", true},
		{kind + " footer", footer, wa.MaxFooter, "footer-too-long", false},
	}
}

func listFields(m *ListSpec) []field {
	out := interactiveFields("list", m.Header, m.Body, m.Footer, false)
	out = append(out, field{"list button", m.Button, wa.MaxListButton, "list-button-too-long", true})
	for _, sec := range m.Sections {
		out = append(out, field{"list section title", sec.Title, wa.MaxSectionTitle, "section-title-too-long", len(m.Sections) > 1})
		for _, r := range sec.Rows {
			out = append(out,
				field{"row id", r.ID, wa.MaxRowID, "row-id-too-long", true},
				field{"row title", r.Title, wa.MaxRowTitle, "row-title-too-long", true},
				field{"row description", r.Description, wa.MaxRowDescription, "row-description-too-long", false})
		}
	}
	return out
}

func buttonsFields(m *ButtonsSpec) []field {
	out := interactiveFields("buttons", m.Header, m.Body, m.Footer, false)
	for _, b := range m.Buttons {
		out = append(out,
			field{"button id", b.ID, wa.MaxButtonID, "button-id-too-long", true},
			field{"button title", b.Title, wa.MaxButtonTitle, "button-title-too-long", true})
	}
	return out
}

func productListFields(m *ProductListSpec) []field {
	out := interactiveFields("product_list", m.Header, m.Body, m.Footer, true)
	for _, sec := range m.Sections {
		out = append(out, field{"product_list section title", sec.Title, wa.MaxSectionTitle, "section-title-too-long", true})
		for _, p := range sec.Products {
			out = append(out, field{"product id", p, maxID, "product-id-too-long", true})
		}
	}
	return out
}

func templateFields(m *TemplateSpec) []field {
	out := []field{
		{"template name", m.Name, wa.MaxTemplateName, "template-name-too-long", true},
		{"template language", m.Language, maxID, "template-language-too-long", true},
		{"template product", m.Product, maxID, "product-id-too-long", true},
	}
	for _, p := range m.Body {
		out = append(out, field{"template body parameter", p, wa.MaxTextBody, "text-too-long", true})
	}
	return out
}
