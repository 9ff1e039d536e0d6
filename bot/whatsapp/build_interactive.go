package whatsapp

import "strings"

// interactive wraps an interactive object in its message object.
func interactive(i *interactiveWire) messageObject {
	return messageObject{Type: "interactive", Interactive: i}
}

// header is a text header, or nil when s is empty or blank.
func header(s string) *headerWire {
	if blank(s) {
		return nil
	}
	return &headerWire{Type: "text", Text: s}
}

// textPart is a body or footer, or nil when s is empty or blank.
func textPart(s string) *textWire {
	if blank(s) {
		return nil
	}
	return &textWire{Text: s}
}

// blank reports whether s holds nothing but white space, which WhatsApp
// refuses as a header, body or footer: an optional one is left out, and a
// required one fails Validate.
func blank(s string) bool { return strings.TrimSpace(s) == "" }

func (m List) object() messageObject {
	a := actionWire{Button: m.Button}
	for _, s := range m.Sections {
		w := sectionWire{Title: s.Title, Rows: []rowWire{}}
		for _, r := range s.Rows {
			w.Rows = append(w.Rows, rowWire(r))
		}
		a.Sections = append(a.Sections, w)
	}
	return interactive(&interactiveWire{Type: "list", Header: header(m.Header),
		Body: textPart(m.Body), Footer: textPart(m.Footer), Action: a})
}

func (m Buttons) object() messageObject {
	a := actionWire{}
	for _, b := range m.Buttons {
		a.Buttons = append(a.Buttons, buttonWire{Type: "reply", Reply: replyWire(b)})
	}
	return interactive(&interactiveWire{Type: "button", Header: header(m.Header),
		Body: textPart(m.Body), Footer: textPart(m.Footer), Action: a})
}

func (m Product) object() messageObject {
	a := actionWire{CatalogID: m.CatalogID, ProductRetailerID: m.ProductID}
	return interactive(&interactiveWire{Type: "product",
		Body: textPart(m.Body), Footer: textPart(m.Footer), Action: a})
}

func (m ProductList) object() messageObject {
	a := actionWire{CatalogID: m.CatalogID}
	for _, s := range m.Sections {
		w := sectionWire{Title: s.Title, ProductItems: []productItem{}}
		for _, id := range s.ProductIDs {
			w.ProductItems = append(w.ProductItems, productItem{ProductRetailerID: id})
		}
		a.Sections = append(a.Sections, w)
	}
	return interactive(&interactiveWire{Type: "product_list", Header: header(m.Header),
		Body: textPart(m.Body), Footer: textPart(m.Footer), Action: a})
}
