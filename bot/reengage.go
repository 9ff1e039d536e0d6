package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

// ErrUnknownProduct is returned when a re-engagement names a product the
// flow's catalogue does not list.
var ErrUnknownProduct = errors.New("bot: product is not in the flow's catalogue")

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
// reply). The product must be in the flow's catalogue when it has one.
func (e *Engine) Reengage(ctx context.Context, r Reengagement) (string, error) {
	f := e.Flow()
	if f.Products != nil {
		if _, ok := f.Products.Lookup(r.Product); !ok {
			return "", fmt.Errorf("%w: %q", ErrUnknownProduct, r.Product)
		}
	}
	catalog := r.Catalog
	if catalog == "" {
		catalog = f.Catalog
	}
	return e.Send(ctx, r.To, whatsapp.Template{Name: r.Template, Language: r.Language,
		CatalogID: catalog, ProductID: r.Product, BodyParams: r.Params})
}
