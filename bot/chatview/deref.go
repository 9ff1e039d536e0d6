package chatview

import "github.com/souk-commerce/souk/bot/whatsapp"

// deref turns a pointer to a message kind into its value, so that both
// render the same; a nil pointer becomes nil.
func deref(m whatsapp.Message) whatsapp.Message {
	switch p := m.(type) {
	case *whatsapp.Text:
		return val(p)
	case *whatsapp.CatalogLink:
		return val(p)
	case *whatsapp.List:
		return val(p)
	case *whatsapp.Buttons:
		return val(p)
	case *whatsapp.Product:
		return val(p)
	case *whatsapp.ProductList:
		return val(p)
	case *whatsapp.Template:
		return val(p)
	}
	return m
}

func val[T whatsapp.Message](p *T) whatsapp.Message {
	if p == nil {
		return nil
	}
	return *p
}
