package flows

import (
	"path/filepath"

	"github.com/souk-commerce/souk/bot/catalog"
)

// products loads the catalogue named by `products:`, relative to the flow
// file; its problems become diagnostics in the product file.
func (w *walker) products(name Str) *catalog.Catalog {
	if name.Raw == "" {
		return nil
	}
	path := name.Raw
	if !filepath.IsAbs(path) {
		path = filepath.Join(filepath.Dir(w.file), path)
	}
	cat, problems := catalog.Load(path)
	if len(problems) > 0 {
		cat = nil // an unusable catalogue checks nothing
	}
	for _, p := range problems {
		d := Diagnostic{File: p.File, Pos: Pos{p.Line, p.Col}, Code: p.Code, Message: p.Message}
		if p.Code == "products-unreadable" {
			d.File, d.Pos = w.file, name.Pos
		}
		w.diags = append(w.diags, d)
	}
	return cat
}

// checkProducts reports every product id in a product, product_list or
// template message that the flow's catalogue does not list. Ids written as
// templates are checked when sent, not here.
func checkProducts(w *walker, f *Flow, _ Options) {
	if f.Products == nil {
		return
	}
	for _, name := range f.StateNames {
		for _, s := range f.States[name].Send {
			for _, id := range productIDs(s.Spec) {
				w.checkProduct(f, "state "+name+"."+s.Kind, id)
			}
		}
	}
}

func (w *walker) checkProduct(f *Flow, what string, id Str) {
	if id.Raw == "" || !id.literal() {
		return
	}
	if _, ok := f.Products.Lookup(id.Raw); ok {
		return
	}
	d := Diagnostic{File: w.file, Pos: id.Pos, Code: "unknown-product",
		Message: what + ": product \"" + id.Raw + "\" is not in " + filepath.Base(f.Products.File)}
	if s := suggest(id.Raw, f.Products.IDs()); s != "" {
		d.Message += " (did you mean \"" + s + "\"?)"
	}
	w.diags = append(w.diags, d)
}

// productIDs lists the product ids a message names.
func productIDs(spec MessageSpec) []Str {
	switch s := spec.(type) {
	case *ProductSpec:
		return []Str{s.Product}
	case *TemplateSpec:
		return []Str{s.Product}
	case *ProductListSpec:
		var ids []Str
		for _, sec := range s.Sections {
			ids = append(ids, sec.Products...)
		}
		return ids
	}
	return nil
}
