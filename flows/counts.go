package flows

import (
	wa "github.com/souk-commerce/souk/bot/whatsapp"
	"gopkg.in/yaml.v3"
)

// checkCounts reports too few or too many sections, rows, buttons and
// products in one message, pointing at the first item past the limit.
func (w *walker) checkCounts(s Send) {
	switch m := s.Spec.(type) {
	case *ListSpec:
		w.listCounts(m)
	case *ButtonsSpec:
		w.buttonCounts(m)
	case *ProductListSpec:
		w.productListCounts(m)
	}
}

func (w *walker) listCounts(m *ListSpec) {
	if len(m.Sections) > wa.MaxSections {
		w.errorAt(m.Sections[wa.MaxSections].Pos, "list-too-many-sections",
			"list has %d sections; WhatsApp allows at most %d", len(m.Sections), wa.MaxSections)
	}
	var rows []RowSpec
	for _, sec := range m.Sections {
		if len(m.Sections) > 1 && sec.Title.IsZero() {
			w.errorAt(sec.Pos, "section-title-required", "list section title is required when a list has more than one section")
		}
		rows = append(rows, sec.Rows...)
	}
	if len(rows) > wa.MaxListRows {
		w.errorAt(rows[wa.MaxListRows].Pos, "list-too-many-rows",
			"list has %d rows in all; WhatsApp allows at most %d (this is row %d)", len(rows), wa.MaxListRows, wa.MaxListRows+1)
	}
}

func (w *walker) buttonCounts(m *ButtonsSpec) {
	if len(m.Buttons) > wa.MaxButtons {
		w.errorAt(m.Buttons[wa.MaxButtons].Pos, "buttons-too-many",
			"buttons has %d buttons; WhatsApp allows at most %d (this is button %d)", len(m.Buttons), wa.MaxButtons, wa.MaxButtons+1)
	}
}

func (w *walker) productListCounts(m *ProductListSpec) {
	if len(m.Sections) > wa.MaxSections {
		w.errorAt(m.Sections[wa.MaxSections].Pos, "product-list-too-many-sections",
			"product_list has %d sections; WhatsApp allows at most %d", len(m.Sections), wa.MaxSections)
	}
	var products []Str
	for _, sec := range m.Sections {
		products = append(products, sec.Products...)
	}
	if len(products) > wa.MaxProducts {
		w.errorAt(products[wa.MaxProducts].Pos, "product-list-too-many-products",
			"product_list has %d products in all; WhatsApp allows at most %d (this is product %d)", len(products), wa.MaxProducts, wa.MaxProducts+1)
	}
}

// nonEmpty reports an empty list where WhatsApp needs at least one item.
func (w *walker) nonEmpty(v *yaml.Node, code, what string) {
	if v.Kind == yaml.SequenceNode && len(v.Content) == 0 {
		w.errorf(v, code, "%s must have at least one item", what)
	}
}
