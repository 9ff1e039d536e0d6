package whatsapp

// The outbound wire shapes: the Meta message object and the Kaleyra request
// around it. Optional strings carry omitempty, because WhatsApp rejects an
// empty string where it accepts an absent field.

// sessionRequest is the body of a session message: the message object
// wrapped in messaging_object.
type sessionRequest struct {
	MessagingObject messageObject `json:"messaging_object"`
	ExtraInfo       *ExtraInfo    `json:"extra_info,omitempty"`
}

// templateRequest is the body of a template message: the message object at
// the top level, with extra_info beside its fields.
type templateRequest struct {
	messageObject
	ExtraInfo *ExtraInfo `json:"extra_info,omitempty"`
}

type messageObject struct {
	MessagingProduct string           `json:"messaging_product"`
	RecipientType    string           `json:"recipient_type"`
	To               string           `json:"to,omitempty"`
	Recipient        string           `json:"recipient,omitempty"`
	Type             string           `json:"type"`
	Text             *textObject      `json:"text,omitempty"`
	Interactive      *interactiveWire `json:"interactive,omitempty"`
	Template         *templateWire    `json:"template,omitempty"`
}

// textObject is a text message's text; PreviewURL is nil when it is not
// sent at all.
type textObject struct {
	PreviewURL *bool  `json:"preview_url,omitempty"`
	Body       string `json:"body"`
}

type interactiveWire struct {
	Type   string      `json:"type"`
	Header *headerWire `json:"header,omitempty"`
	Body   *textWire   `json:"body,omitempty"`
	Footer *textWire   `json:"footer,omitempty"`
	Action actionWire  `json:"action"`
}

type headerWire struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

type textWire struct {
	Text string `json:"text"`
}

// actionWire is the union of the action objects of list, button, product
// and product_list messages; each kind fills its own fields.
type actionWire struct {
	Button            string        `json:"button,omitempty"`
	Buttons           []buttonWire  `json:"buttons,omitempty"`
	CatalogID         string        `json:"catalog_id,omitempty"`
	ProductRetailerID string        `json:"product_retailer_id,omitempty"`
	Sections          []sectionWire `json:"sections,omitempty"`
}

type sectionWire struct {
	Title        string        `json:"title,omitempty"`
	Rows         []rowWire     `json:"rows,omitempty"`
	ProductItems []productItem `json:"product_items,omitempty"`
}

type rowWire struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
}

type buttonWire struct {
	Type  string    `json:"type"`
	Reply replyWire `json:"reply"`
}

type replyWire struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

type productItem struct {
	ProductRetailerID string `json:"product_retailer_id"`
}

type templateWire struct {
	Name       string          `json:"name"`
	Language   languageWire    `json:"language"`
	Components []componentWire `json:"components,omitempty"`
}

type languageWire struct {
	Policy string `json:"policy"`
	Code   string `json:"code"`
}

type componentWire struct {
	Type       string          `json:"type"`
	Parameters []parameterWire `json:"parameters"`
}

// parameterWire is a template parameter: a product (header) or a text (body).
type parameterWire struct {
	Type    string       `json:"type"`
	Product *productWire `json:"product,omitempty"`
	Text    string       `json:"text,omitempty"`
}

type productWire struct {
	ProductRetailerID string `json:"product_retailer_id"`
	CatalogID         string `json:"catalog_id"`
}
