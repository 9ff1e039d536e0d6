package flows

// checkCatalog reports a product, product_list or template message that
// names no catalog, when the flow sets no default `catalog:` either.
func checkCatalog(w *walker, f *Flow, _ Options) {
	if f.Catalog != "" {
		return
	}
	for _, name := range f.StateNames {
		for _, s := range f.States[name].Send {
			var c Str
			switch m := s.Spec.(type) {
			case *ProductSpec:
				c = m.Catalog
			case *ProductListSpec:
				c = m.Catalog
			case *TemplateSpec:
				c = m.Catalog
			default:
				continue
			}
			if c.Raw == "" {
				w.diags = append(w.diags, Diagnostic{File: w.file, Pos: s.Pos, Code: "missing-catalog",
					Message: s.Kind + " has no catalog: set `catalog:` on the message or at the top of the flow"})
			}
		}
	}
}
