package chatview

import (
	"fmt"
	"strings"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

// view builds one message's box: a title line, then body lines.
type view struct {
	b strings.Builder
}

func (v *view) title(kind string, parts ...string) {
	v.b.WriteString("┌ " + kind)
	for _, p := range parts {
		if p != "" {
			v.b.WriteString(" · " + p)
		}
	}
	v.b.WriteString("\n")
}

// text adds s, one line per line of s, indented by indent spaces; an empty
// s adds nothing.
func (v *view) text(indent int, s string) {
	if s == "" {
		return
	}
	for _, line := range strings.Split(s, "\n") {
		v.b.WriteString("│ " + strings.Repeat(" ", indent) + line + "\n")
	}
}

func (v *view) footer(s string) {
	if s != "" {
		v.text(0, "— "+s)
	}
}

func (v *view) String() string { return v.b.String() + "└\n" }

// Render returns m as lines of text ending in a newline: a box whose first
// line names the kind (and header, product or template), then the body,
// the footer after "— ", and every id in [brackets].
func Render(m whatsapp.Message) string {
	v := &view{}
	switch m := deref(m).(type) {
	case whatsapp.Text:
		v.title("text")
		v.text(0, m.Body)
	case whatsapp.CatalogLink:
		v.title("catalog_link")
		v.text(0, m.Body)
	case whatsapp.List:
		list(v, m)
	case whatsapp.Buttons:
		v.title("buttons", m.Header)
		v.text(0, m.Body)
		v.footer(m.Footer)
		for _, b := range m.Buttons {
			v.text(2, fmt.Sprintf("[%s] %s", b.ID, b.Title))
		}
	case whatsapp.Product:
		v.title("product", "["+m.ProductID+"]", catalog(m.CatalogID))
		v.text(0, m.Body)
		v.footer(m.Footer)
	case whatsapp.ProductList:
		productList(v, m)
	case whatsapp.Template:
		template(v, m)
	case nil:
		v.title("(no message)")
	default:
		v.title(m.Kind())
		v.text(0, fmt.Sprintf("%+v", m))
	}
	return v.String()
}

func list(v *view, m whatsapp.List) {
	v.title("list", m.Header)
	v.text(0, m.Body)
	v.footer(m.Footer)
	v.text(0, "≡ "+m.Button)
	for _, s := range m.Sections {
		v.text(2, s.Title)
		for _, r := range s.Rows {
			line := fmt.Sprintf("[%s] %s", r.ID, r.Title)
			if r.Description != "" {
				line += " — " + r.Description
			}
			v.text(4, line)
		}
	}
}

func productList(v *view, m whatsapp.ProductList) {
	v.title("product_list", m.Header, catalog(m.CatalogID))
	v.text(0, m.Body)
	v.footer(m.Footer)
	for _, s := range m.Sections {
		v.text(2, s.Title)
		for _, id := range s.ProductIDs {
			v.text(4, "["+id+"]")
		}
	}
}

func template(v *view, m whatsapp.Template) {
	v.title("template", m.Name+" ("+m.Language+")", "["+m.ProductID+"]", catalog(m.CatalogID))
	if len(m.BodyParams) > 0 {
		v.text(0, "params: "+strings.Join(m.BodyParams, " | "))
	}
}

func catalog(id string) string {
	if id == "" {
		return ""
	}
	return "catalog " + id
}
