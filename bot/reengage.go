package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

// ErrUnknownProduct is returned when a re-engagement names a product the
// flow's catalogue does not list.
var ErrUnknownProduct = errors.New("bot: product is not in the flow's catalogue")

// ErrIncompleteReengagement is returned when a re-engagement leaves out a
// field it needs; the error names them.
var ErrIncompleteReengagement = errors.New("bot: re-engagement is missing")

// Reengagement is a single-product template sent to a shopper on a
// merchant's initiative, typically outside the 24-hour window.
type Reengagement struct {
	To       string   `json:"to"`
	Template string   `json:"template"`
	Language string   `json:"language"`
	Product  string   `json:"product"`
	Catalog  string   `json:"catalog,omitempty"` // default: the flow's catalog
	Params   []string `json:"params,omitempty"`  // body text parameters
}

// Reengage sends r's template through Send (the same Dispatcher as every
// reply). The product must be in the flow's catalogue when it has one, and
// the shopper must not have opted out (ErrOptedOut).
func (e *Engine) Reengage(ctx context.Context, r Reengagement) (string, error) {
	if missing := r.Missing(); len(missing) > 0 {
		return "", fmt.Errorf("%w %s", ErrIncompleteReengagement, strings.Join(missing, ", "))
	}
	f := e.Flow()
	if f.Products != nil {
		if _, ok := f.Products.Lookup(r.Product); !ok {
			return "", fmt.Errorf("%w: %q", ErrUnknownProduct, r.Product)
		}
	}
	if out, err := e.OptedOut(ctx, whatsapp.ShopperID(r.To)); err != nil {
		return "", unavailable(err)
	} else if out {
		return "", ErrOptedOut
	}
	catalog := r.Catalog
	if catalog == "" {
		catalog = f.Catalog
	}
	return e.Send(ctx, r.To, whatsapp.Template{Name: r.Template, Language: r.Language,
		CatalogID: catalog, ProductID: r.Product, BodyParams: r.Params})
}

// Missing names the required fields r leaves empty: to, template,
// language, product.
func (r Reengagement) Missing() []string {
	var names []string
	for _, f := range []struct{ name, value string }{
		{"to", r.To}, {"template", r.Template}, {"language", r.Language}, {"product", r.Product},
	} {
		if strings.TrimSpace(f.value) == "" {
			names = append(names, f.name)
		}
	}
	return names
}
