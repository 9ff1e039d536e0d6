package bottest

import (
	"cmp"
	"encoding/json"
	"regexp"
	"strings"
)

// View is what tests check of one request body, read from the JSON that
// went to Kaleyra (never from souk's own structs). Its field names are the
// YAML test keys.
type View struct {
	Kind     string   `json:"kind"`
	To       string   `json:"-"`
	Header   string   `json:"header,omitempty"`
	Body     string   `json:"body,omitempty"`
	Footer   string   `json:"footer,omitempty"`
	Button   string   `json:"button,omitempty"`
	Rows     []string `json:"rows,omitempty"`
	Buttons  []string `json:"buttons,omitempty"`
	Products []string `json:"products,omitempty"`
	Catalog  string   `json:"catalog,omitempty"`
	Template string   `json:"template,omitempty"`
	Language string   `json:"language,omitempty"`
	Params   []string `json:"params,omitempty"`
	Link     string   `json:"link,omitempty"`
}

// wire is the part of a Kaleyra request body a View reads: a session
// request's messaging_object, or a template request itself.
type wire struct {
	MessagingObject *wire `json:"messaging_object"`
	To              string
	Recipient       string
	Type            string
	Text            struct{ Body string }
	Interactive     struct {
		Type   string
		Header struct{ Text string }
		Body   struct{ Text string }
		Footer struct{ Text string }
		Action struct {
			Button            string
			CatalogID         string `json:"catalog_id"`
			ProductRetailerID string `json:"product_retailer_id"`
			Buttons           []struct{ Reply struct{ ID string } }
			Sections          []struct {
				Rows         []struct{ ID string }
				ProductItems []struct {
					ProductRetailerID string `json:"product_retailer_id"`
				} `json:"product_items"`
			}
		}
	}
	Template struct {
		Name     string
		Language struct{ Code string }
		// Components: the header's product parameter and the body's texts.
		Components []struct {
			Type       string
			Parameters []struct {
				Type    string
				Text    string
				Product struct {
					ProductRetailerID string `json:"product_retailer_id"`
					CatalogID         string `json:"catalog_id"`
				}
			}
		}
	}
}

// kinds maps interactive.type to souk's message kinds.
var kinds = map[string]string{"list": "list", "button": "buttons", "product": "product", "product_list": "product_list"}

var urlPattern = regexp.MustCompile(`https?://[^\s"<>]+`)

// ViewOf reads a Kaleyra request body. A body it cannot read gives a View
// of kind "invalid".
func ViewOf(body []byte) View {
	var w wire
	if json.Unmarshal(body, &w) != nil {
		return View{Kind: "invalid"}
	}
	if w.MessagingObject != nil {
		w = *w.MessagingObject
	}
	v := View{To: cmp.Or(strings.TrimPrefix(w.To, "+"), w.Recipient)}
	switch w.Type {
	case "text":
		v.Kind, v.Body, v.Link = "text", w.Text.Body, urlPattern.FindString(w.Text.Body)
		if strings.Contains(v.Body, "https://wa.me/c/") {
			v.Kind = "catalog_link"
		}
	case "interactive":
		v.interactive(w)
	case "template":
		v.template(w)
	default:
		v.Kind = w.Type
	}
	return v
}

func (v *View) interactive(w wire) {
	in := w.Interactive
	v.Kind = kinds[in.Type]
	if v.Kind == "" {
		v.Kind = in.Type
	}
	v.Header, v.Body, v.Footer = in.Header.Text, in.Body.Text, in.Footer.Text
	v.Button, v.Catalog = in.Action.Button, in.Action.CatalogID
	if in.Action.ProductRetailerID != "" {
		v.Products = []string{in.Action.ProductRetailerID}
	}
	for _, b := range in.Action.Buttons {
		v.Buttons = append(v.Buttons, b.Reply.ID)
	}
	for _, s := range in.Action.Sections {
		for _, r := range s.Rows {
			v.Rows = append(v.Rows, r.ID)
		}
		for _, p := range s.ProductItems {
			v.Products = append(v.Products, p.ProductRetailerID)
		}
	}
}

func (v *View) template(w wire) {
	v.Kind, v.Template, v.Language = "template", w.Template.Name, w.Template.Language.Code
	for _, c := range w.Template.Components {
		for _, p := range c.Parameters {
			switch p.Type {
			case "product":
				v.Products = append(v.Products, p.Product.ProductRetailerID)
				v.Catalog = p.Product.CatalogID
			case "text":
				v.Params = append(v.Params, p.Text)
			}
		}
	}
	v.Body = strings.Join(v.Params, " ")
}
