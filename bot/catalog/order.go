package catalog

import (
	"github.com/souk-commerce/souk/bot/whatsapp"
)

// Order is a shopper's cart as templates (.Order) and handlers see it:
// every item priced and named, with totals.
type Order struct {
	CatalogID string
	// Text is the note the shopper sent with the cart.
	Text  string
	Items []Item
	// Total is the sum of the line totals in Currency.
	Total float64
	// Currency is the cart's currency: that of its first item.
	Currency string
	// Totals holds one total per currency, in order of first appearance;
	// it has more than one entry only for a cart in several currencies.
	Totals []Amount
}

// Item is one line of a cart.
type Item struct {
	// ID is the retailer id.
	ID string
	// Name is the catalogue's name for ID, or ID when the catalogue does
	// not list it.
	Name     string
	Quantity int
	// Price is the unit price: the webhook's item_price, or the
	// catalogue's when the webhook sent none.
	Price     float64
	Currency  string
	LineTotal float64
	// Known reports whether the catalogue lists ID.
	Known bool
}

// Amount is a sum of money in one currency.
type Amount struct {
	Value    float64
	Currency string
}

// Mismatch is an item whose webhook price differs from the catalogue's.
type Mismatch struct {
	ID                        string
	Price, CatalogPrice       float64
	Currency, CatalogCurrency string
}

// Empty reports whether the cart has no items.
func (o Order) Empty() bool { return len(o.Items) == 0 }

// Count is the number of units in the cart.
func (o Order) Count() int {
	n := 0
	for _, it := range o.Items {
		n += it.Quantity
	}
	return n
}

// Price builds the view of o with names and fallback prices from c (which
// may be nil), and lists the items whose webhook price disagrees with c.
func Price(o whatsapp.Order, c *Catalog) (Order, []Mismatch) {
	out := Order{CatalogID: o.CatalogID, Text: o.Text, Items: make([]Item, 0, len(o.Items))}
	var bad []Mismatch
	for _, w := range o.Items {
		it := Item{ID: w.ID, Name: w.ID, Quantity: w.Quantity, Price: w.Price, Currency: normalCurrency(w.Currency)}
		if p, ok := c.Lookup(w.ID); ok {
			it.Name, it.Known = p.Name, true
			it, bad = crossCheck(it, p, bad)
		}
		it.LineTotal = Round(float64(it.Quantity)*it.Price, it.Currency)
		if !sane(it) {
			continue // no shopper's cart holds it: a forged or broken webhook
		}
		out.Items = append(out.Items, it)
		out.Totals = addTo(out.Totals, it.LineTotal, it.Currency)
	}
	if len(out.Totals) > 0 {
		out.Total, out.Currency = out.Totals[0].Value, out.Totals[0].Currency
	}
	return out, bad
}

// maxLineTotal bounds a line of a cart: far above any real one, far below
// where sums of floats lose cents.
const maxLineTotal = 1e12

// sane reports whether it can be in a cart: at least one unit, at a price
// that is not negative, and a finite line total.
func sane(it Item) bool {
	return it.Quantity >= 1 && it.Price >= 0 && it.LineTotal <= maxLineTotal
}

// crossCheck fills what the webhook left out from p and records a mismatch.
func crossCheck(it Item, p Product, bad []Mismatch) (Item, []Mismatch) {
	if it.Price == 0 && it.Currency == "" {
		it.Price, it.Currency = p.Price, p.Currency
		return it, bad
	}
	if it.Currency == "" {
		it.Currency = p.Currency
	}
	if Round(it.Price, it.Currency) != Round(p.Price, it.Currency) || it.Currency != p.Currency {
		bad = append(bad, Mismatch{ID: it.ID, Price: it.Price, Currency: it.Currency, CatalogPrice: p.Price, CatalogCurrency: p.Currency})
	}
	return it, bad
}

func addTo(totals []Amount, v float64, cur string) []Amount {
	for i := range totals {
		if totals[i].Currency == cur {
			totals[i].Value = Round(totals[i].Value+v, cur)
			return totals
		}
	}
	return append(totals, Amount{Value: Round(v, cur), Currency: cur})
}
