package catalog

import "fmt"

// Product is one line of the catalogue.
type Product struct {
	// ID is the retailer id (product_retailer_id / SKU).
	ID          string
	Name        string
	Price       float64
	Currency    string
	Description string
	// Line and Col locate the product in its file.
	Line, Col int
}

// Catalog is a loaded product file. A nil *Catalog is an empty catalogue;
// its methods are safe to call. It is read-only once loaded and safe for
// concurrent use.
type Catalog struct {
	// File is the path the catalogue was read from.
	File     string
	products map[string]Product
	ids      []string
}

// Lookup returns the product with retailer id id.
func (c *Catalog) Lookup(id string) (Product, bool) {
	if c == nil {
		return Product{}, false
	}
	p, ok := c.products[id]
	return p, ok
}

// IDs lists the retailer ids in file order.
func (c *Catalog) IDs() []string {
	if c == nil {
		return nil
	}
	return c.ids
}

// Len is the number of products.
func (c *Catalog) Len() int {
	if c == nil {
		return 0
	}
	return len(c.ids)
}

// Problem is one error found in a product file, located at FILE:LINE:COL.
type Problem struct {
	File      string
	Line, Col int
	Code      string
	Message   string
}

// Error formats p as FILE:LINE:COL: message.
func (p Problem) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Col, p.Message)
}
