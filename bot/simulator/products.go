package simulator

// Product is what the page shows of one catalogue product.
type Product struct {
	Name        string  `json:"name,omitempty"`
	Description string  `json:"description,omitempty"`
	Price       float64 `json:"price,omitempty"`
	Currency    string  `json:"currency,omitempty"`
}

// Products looks products up by retailer id, for names, prices and
// descriptions on the page and the prices of the carts it sends. souk serve
// implements it with the products file of the flow it runs; with none, the
// page shows the retailer id and sends carts at price 0. Implementations
// are safe for concurrent use.
type Products interface {
	Product(retailerID string) (Product, bool)
}

// ProductsFunc adapts a function to Products.
type ProductsFunc func(retailerID string) (Product, bool)

// Product implements Products.
func (f ProductsFunc) Product(id string) (Product, bool) { return f(id) }

// describe returns the known products among ids, or nil.
func describe(p Products, ids []string) map[string]Product {
	if p == nil {
		return nil
	}
	var out map[string]Product
	for _, id := range ids {
		if pr, ok := p.Product(id); ok {
			if out == nil {
				out = map[string]Product{}
			}
			out[id] = pr
		}
	}
	return out
}
