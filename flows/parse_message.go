package flows

import "gopkg.in/yaml.v3"

var messageKinds = []string{"text", "list", "buttons", "product", "product_list", "catalog_link", "template"}

// The keys each part of a message may have, and those it must: the parser
// and Schema both read them.
var (
	textKeys            = []string{"body", "preview_url"}
	textRequired        = []string{"body"}
	listKeys            = []string{"header", "body", "footer", "button", "sections"}
	listRequired        = []string{"body", "button", "sections"}
	listSectionKeys     = []string{"title", "rows"}
	listSectionRequired = []string{"rows"}
	rowKeys             = []string{"id", "title", "description"}
	rowRequired         = []string{"id", "title"}
	buttonsKeys         = []string{"header", "body", "footer", "buttons"}
	buttonsRequired     = []string{"body", "buttons"}
	buttonKeys          = []string{"id", "title"}
)

// message reads one `send` item: a mapping with exactly one kind key.
func (w *walker) message(n *yaml.Node, what string) (Send, bool) {
	if n.Kind != yaml.MappingNode || len(n.Content) != 2 {
		w.errorf(n, "bad-message", "%s: each item must be one message, like `- text: Hello` (kinds: text, list, buttons, product, product_list, catalog_link, template)", what)
		return Send{}, false
	}
	k, v := n.Content[0], n.Content[1]
	if !contains(messageKinds, k.Value) {
		w.unknownKey(k, what, messageKinds)
		return Send{}, false
	}
	spec := w.messageSpec(k.Value, v)
	return Send{Kind: k.Value, Pos: pos(k), Spec: spec}, spec != nil
}

func (w *walker) messageSpec(kind string, v *yaml.Node) MessageSpec {
	switch kind {
	case "text":
		return w.textSpec(v)
	case "list":
		return w.listSpec(v)
	case "buttons":
		return w.buttonsSpec(v)
	case "product":
		return w.productSpec(v)
	case "product_list":
		return w.productListSpec(v)
	case "catalog_link":
		return w.catalogLinkSpec(v)
	}
	return w.templateSpec(v)
}

func (w *walker) textSpec(v *yaml.Node) MessageSpec {
	if v.Kind == yaml.ScalarNode {
		return &TextSpec{Body: w.str(v, "text")}
	}
	s := &TextSpec{}
	w.fields(v, "text", textKeys, textRequired, func(key string, v *yaml.Node) {
		if key == "body" {
			s.Body = w.str(v, "text.body")
		} else {
			s.PreviewURL = w.boolean(v, "text.preview_url")
		}
	})
	return s
}

func (w *walker) listSpec(v *yaml.Node) MessageSpec {
	s := &ListSpec{}
	w.fields(v, "list", listKeys, listRequired, func(key string, v *yaml.Node) {
		switch key {
		case "header":
			s.Header = w.str(v, "list.header")
		case "body":
			s.Body = w.str(v, "list.body")
		case "footer":
			s.Footer = w.str(v, "list.footer")
		case "button":
			s.Button = w.str(v, "list.button")
		case "sections":
			w.nonEmpty(v, "list-no-sections", "list.sections")
			w.seq(v, "list.sections", func(_ int, sec *yaml.Node) { s.Sections = append(s.Sections, w.listSection(sec)) })
		}
	})
	return s
}

func (w *walker) listSection(v *yaml.Node) ListSectionSpec {
	sec := ListSectionSpec{Pos: pos(v)}
	w.fields(v, "list section", listSectionKeys, listSectionRequired, func(key string, v *yaml.Node) {
		if key == "title" {
			sec.Title = w.str(v, "list section title")
			return
		}
		w.nonEmpty(v, "list-empty-section", "list section rows")
		w.seq(v, "list rows", func(_ int, r *yaml.Node) { sec.Rows = append(sec.Rows, w.row(r)) })
	})
	return sec
}

func (w *walker) row(v *yaml.Node) RowSpec {
	r := RowSpec{Pos: pos(v)}
	w.fields(v, "list row", rowKeys, rowRequired, func(key string, v *yaml.Node) {
		switch key {
		case "id":
			r.ID = w.str(v, "row id")
		case "title":
			r.Title = w.str(v, "row title")
		case "description":
			r.Description = w.str(v, "row description")
		}
	})
	return r
}

func (w *walker) buttonsSpec(v *yaml.Node) MessageSpec {
	s := &ButtonsSpec{}
	w.fields(v, "buttons", buttonsKeys, buttonsRequired, func(key string, v *yaml.Node) {
		switch key {
		case "header":
			s.Header = w.str(v, "buttons.header")
		case "body":
			s.Body = w.str(v, "buttons.body")
		case "footer":
			s.Footer = w.str(v, "buttons.footer")
		case "buttons":
			w.nonEmpty(v, "buttons-none", "buttons.buttons")
			w.seq(v, "buttons.buttons", func(_ int, b *yaml.Node) { s.Buttons = append(s.Buttons, w.button(b)) })
		}
	})
	return s
}

func (w *walker) button(v *yaml.Node) ButtonSpec {
	b := ButtonSpec{Pos: pos(v)}
	w.fields(v, "button", buttonKeys, buttonKeys, func(key string, v *yaml.Node) {
		if key == "id" {
			b.ID = w.str(v, "button id")
		} else {
			b.Title = w.str(v, "button title")
		}
	})
	return b
}
