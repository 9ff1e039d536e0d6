package whatsapp

import "time"

// Message is one outbound WhatsApp message object, typed by kind. Every
// implementation marshals to the Meta message object that goes inside a
// Kaleyra request (see Request).
type Message interface {
	// Kind is souk's name for the message kind, as flows spell it:
	// text, list, buttons, product, product_list, catalog_link, template.
	Kind() string
}

// Text is a plain text message.
type Text struct {
	Body       string
	PreviewURL bool
}

// List is an interactive list message.
type List struct {
	Header   string // optional
	Body     string
	Footer   string // optional
	Button   string
	Sections []Section
}

// Section is one titled group of list rows.
type Section struct {
	Title string
	Rows  []Row
}

// Row is one choice in a list; ID comes back in the list_reply webhook.
type Row struct {
	ID          string
	Title       string
	Description string // optional
}

// Buttons is an interactive reply-buttons message (interactive.type button).
type Buttons struct {
	Header  string // optional
	Body    string
	Footer  string // optional
	Buttons []Button
}

// Button is one reply button; ID comes back in the button_reply webhook.
type Button struct {
	ID    string
	Title string
}

// Product is a single-product interactive message.
type Product struct {
	CatalogID string
	ProductID string // product_retailer_id
	Body      string // optional
	Footer    string // optional
}

// ProductList is a multi-product interactive message (interactive.type
// product_list).
type ProductList struct {
	CatalogID string
	Header    string
	Body      string
	Footer    string // optional
	Sections  []ProductSection
}

// ProductSection is one titled group of products in a ProductList.
type ProductSection struct {
	Title      string
	ProductIDs []string
}

// CatalogLink is a text message carrying the business's wa.me/c catalogue
// link; it goes on the wire as a text message.
type CatalogLink struct {
	Body       string
	PreviewURL bool
}

// Template is the single-product template message: a header product
// parameter and body text parameters. It is the only kind that may be sent
// outside the 24-hour customer-service window.
type Template struct {
	Name       string
	Language   string
	CatalogID  string
	ProductID  string
	BodyParams []string
}

// Kind implements Message.
func (Text) Kind() string { return "text" }

// Kind implements Message.
func (List) Kind() string { return "list" }

// Kind implements Message.
func (Buttons) Kind() string { return "buttons" }

// Kind implements Message.
func (Product) Kind() string { return "product" }

// Kind implements Message.
func (ProductList) Kind() string { return "product_list" }

// Kind implements Message.
func (CatalogLink) Kind() string { return "catalog_link" }

// Kind implements Message.
func (Template) Kind() string { return "template" }

// ExtraInfo is Kaleyra's extra_info object, echoed back in callbacks.
type ExtraInfo struct {
	Ref      string `json:"ref,omitempty"`
	Ref1     string `json:"ref1,omitempty"`
	Ref2     string `json:"ref2,omitempty"`
	WASource string `json:"wa_source,omitempty"`
}

// Outbound is one message addressed to one shopper, with souk's own id for
// it (put in extra_info.ref unless the flow set ref itself).
type Outbound struct {
	ID        string
	To        string // shopper's number, digits only; sent as +digits
	Message   Message
	ExtraInfo ExtraInfo
	// SendBy, when set, is when the message may no longer leave: the end
	// of the shopper's 24-hour customer-service window, for a session
	// message. A sender that gets to it later does not send it
	// (ErrSendByPassed).
	SendBy time.Time
}

// Messages are a zero value of every Message kind souk sends.
func Messages() []Message {
	return []Message{Text{}, List{}, Buttons{}, Product{}, ProductList{}, CatalogLink{}, Template{}}
}
