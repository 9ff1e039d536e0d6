package catalog

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// Load reads a product file: .csv, or .yaml / .yml. It returns every problem
// found; the catalogue is usable only when there are none.
func Load(path string) (*Catalog, []Problem) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, []Problem{{File: path, Line: 1, Col: 1, Code: "products-unreadable", Message: fmt.Sprintf("cannot read products: %v", err)}}
	}
	return Parse(path, data)
}

// Parse reads a product file held in memory; the name's extension picks the
// format and the name locates problems.
func Parse(name string, data []byte) (*Catalog, []Problem) {
	l := &loader{cat: &Catalog{File: name, products: map[string]Product{}}}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		l.csv(data)
	case ".yaml", ".yml":
		l.yaml(data)
	default:
		l.problem(1, 1, "products-format", "products file must end in .csv, .yaml or .yml")
	}
	return l.cat, l.problems
}

// loader collects products and problems from one file.
type loader struct {
	cat      *Catalog
	problems []Problem
}

func (l *loader) problem(line, col int, code, format string, args ...any) {
	l.problems = append(l.problems, Problem{File: l.cat.File, Line: line, Col: col, Code: code, Message: fmt.Sprintf(format, args...)})
}

// field is one value of a product with where it was written.
type field struct {
	val       string
	line, col int
}

var currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)

// add checks one product's fields and adds it. at locates the product.
func (l *loader) add(at field, fields map[string]field) {
	id := fields["id"]
	p := Product{ID: strings.TrimSpace(id.val), Name: strings.TrimSpace(fields["name"].val),
		Currency: strings.TrimSpace(fields["currency"].val), Description: fields["description"].val, Line: at.line, Col: at.col}
	ok := l.require(at, fields, "id", "name", "price", "currency")
	if prev, dup := l.cat.products[p.ID]; dup && p.ID != "" {
		l.problem(id.line, id.col, "duplicate-product", "product %q is listed twice (first at line %d)", p.ID, prev.Line)
		ok = false
	}
	if f, has := fields["price"]; has {
		price, valid := parsePrice(f.val)
		if !valid {
			l.problem(f.line, f.col, "bad-price", "price must be a non-negative number like 9.50, not %q", f.val)
			ok = false
		}
		p.Price = price
	}
	if f, has := fields["currency"]; has && p.Currency != "" && !currencyCode.MatchString(p.Currency) { // empty: require said so
		l.problem(f.line, f.col, "bad-currency", "currency must be an ISO 4217 code like EUR or INR, not %q", f.val)
		ok = false
	}
	if ok {
		l.cat.products[p.ID] = p
		l.cat.ids = append(l.cat.ids, p.ID)
	}
}

// parsePrice reads a price, refusing negatives and the NaN and infinities
// that strconv.ParseFloat accepts ("NaN", "Inf", "+Infinity"): any of them
// would turn every cart total into NaN or Inf.
func parsePrice(s string) (float64, bool) {
	price, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(price) || math.IsInf(price, 0) || price < 0 {
		return 0, false
	}
	return price, true
}

// require reports the fields that are missing or empty.
func (l *loader) require(at field, fields map[string]field, names ...string) bool {
	ok := true
	for _, n := range names {
		f, has := fields[n]
		switch {
		case !has:
			l.problem(at.line, at.col, "missing-field", "product: missing %s", n)
			ok = false
		case strings.TrimSpace(f.val) == "":
			l.problem(f.line, f.col, "missing-field", "product: %s is empty", n)
			ok = false
		}
	}
	return ok
}

// columns are the fields a product may have, by their accepted names.
var columns = map[string]string{
	"id": "id", "retailer_id": "id", "product_retailer_id": "id",
	"name": "name", "price": "price", "currency": "currency", "description": "description",
}
