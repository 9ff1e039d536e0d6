package flows

// MessageSpec is a compiled `send` item: it renders into one typed
// WhatsApp message for one shopper.
type MessageSpec interface {
	Render(env *Env) (Message, error)
}

// TextSpec is `text: ...`.
type TextSpec struct {
	Body       Str
	PreviewURL bool
}

// ListSpec is `list: {...}`.
type ListSpec struct {
	Header, Body, Footer, Button Str
	Sections                     []ListSectionSpec
}

// ListSectionSpec is one section of a list.
type ListSectionSpec struct {
	Pos   Pos
	Title Str
	Rows  []RowSpec
}

// RowSpec is one list row.
type RowSpec struct {
	Pos                    Pos
	ID, Title, Description Str
}

// ButtonsSpec is `buttons: {...}`.
type ButtonsSpec struct {
	Header, Body, Footer Str
	Buttons              []ButtonSpec
}

// ButtonSpec is one reply button.
type ButtonSpec struct {
	Pos       Pos
	ID, Title Str
}

// ProductSpec is `product: {...}`.
type ProductSpec struct {
	Catalog, Product, Body, Footer Str
}

// ProductListSpec is `product_list: {...}`.
type ProductListSpec struct {
	Catalog, Header, Body, Footer Str
	Sections                      []ProductSectionSpec
}

// ProductSectionSpec is one section of a product_list.
type ProductSectionSpec struct {
	Pos      Pos
	Title    Str
	Products []Str
}

// CatalogLinkSpec is `catalog_link: {...}`.
type CatalogLinkSpec struct {
	Body Str
	// PreviewURL is nil when not written; it then defaults to true.
	PreviewURL *bool
}

// TemplateSpec is `template: {...}`, the single-product template.
type TemplateSpec struct {
	Name, Language, Product, Catalog Str
	Body                             []Str
}
