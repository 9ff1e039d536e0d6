package bot

import (
	"github.com/souk-commerce/souk/bot/catalog"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
)

// checkPrices logs every item of an incoming cart whose price differs from
// the flow's catalogue, and every item the catalogue does not list. The
// webhook's price stands; the log is for the merchant to fix one side.
func (e *Engine) checkPrices(f *flows.Flow, ev whatsapp.Event) {
	if ev.Kind != whatsapp.KindOrder || ev.Order == nil || f.Products == nil {
		return
	}
	order, bad := catalog.Price(*ev.Order, f.Products)
	for _, m := range bad {
		e.log.Warn("cart price differs from the catalogue", "product", m.ID, "price", m.Price, "currency", m.Currency,
			"catalogue_price", m.CatalogPrice, "catalogue_currency", m.CatalogCurrency, "shopper", MaskPhone(ev.From))
	}
	for _, it := range order.Items {
		if !it.Known {
			e.log.Warn("cart item not in the catalogue", "product", it.ID, "file", f.Products.File, "shopper", MaskPhone(ev.From))
		}
	}
}
