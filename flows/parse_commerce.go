package flows

import "gopkg.in/yaml.v3"

var (
	productKeys         = []string{"product", "catalog", "body", "footer"}
	productRequired     = []string{"product"}
	productListKeys     = []string{"catalog", "header", "body", "footer", "sections"}
	productListRequired = []string{"header", "body", "sections"}
	productSectionKeys  = []string{"title", "products"}
	catalogLinkKeys     = []string{"body", "preview_url"}
	catalogLinkRequired = []string{"body"}
	templateKeys        = []string{"name", "language", "product", "catalog", "body"}
	templateRequired    = []string{"name", "language", "product"}
)

func (w *walker) productSpec(v *yaml.Node) MessageSpec {
	s := &ProductSpec{}
	w.fields(v, "product", productKeys, productRequired, func(key string, v *yaml.Node) {
		switch key {
		case "product":
			s.Product = w.str(v, "product.product")
		case "catalog":
			s.Catalog = w.str(v, "product.catalog")
		case "body":
			s.Body = w.str(v, "product.body")
		case "footer":
			s.Footer = w.str(v, "product.footer")
		}
	})
	return s
}

func (w *walker) productListSpec(v *yaml.Node) MessageSpec {
	s := &ProductListSpec{}
	w.fields(v, "product_list", productListKeys, productListRequired, func(key string, v *yaml.Node) {
		switch key {
		case "catalog":
			s.Catalog = w.str(v, "product_list.catalog")
		case "header":
			s.Header = w.str(v, "product_list.header")
		case "body":
			s.Body = w.str(v, "product_list.body")
		case "footer":
			s.Footer = w.str(v, "product_list.footer")
		case "sections":
			w.nonEmpty(v, "product-list-no-sections", "product_list.sections")
			w.seq(v, "product_list.sections", func(_ int, sec *yaml.Node) { s.Sections = append(s.Sections, w.productSection(sec)) })
		}
	})
	return s
}

func (w *walker) productSection(v *yaml.Node) ProductSectionSpec {
	sec := ProductSectionSpec{Pos: pos(v)}
	w.fields(v, "product_list section", productSectionKeys, productSectionKeys, func(key string, v *yaml.Node) {
		if key == "title" {
			sec.Title = w.str(v, "product_list section title")
			return
		}
		w.nonEmpty(v, "product-list-empty-section", "product_list section products")
		w.seq(v, "product_list section products", func(_ int, p *yaml.Node) {
			sec.Products = append(sec.Products, w.str(p, "product id"))
		})
	})
	return sec
}

func (w *walker) catalogLinkSpec(v *yaml.Node) MessageSpec {
	s := &CatalogLinkSpec{}
	w.fields(v, "catalog_link", catalogLinkKeys, catalogLinkRequired, func(key string, v *yaml.Node) {
		if key == "body" {
			s.Body = w.str(v, "catalog_link.body")
			return
		}
		b := w.boolean(v, "catalog_link.preview_url")
		s.PreviewURL = &b
	})
	return s
}

func (w *walker) templateSpec(v *yaml.Node) MessageSpec {
	s := &TemplateSpec{}
	w.fields(v, "template", templateKeys, templateRequired, func(key string, v *yaml.Node) {
		switch key {
		case "name":
			s.Name = w.str(v, "template.name")
		case "language":
			s.Language = w.str(v, "template.language")
		case "product":
			s.Product = w.str(v, "template.product")
		case "catalog":
			s.Catalog = w.str(v, "template.catalog")
		case "body":
			w.seq(v, "template.body", func(_ int, p *yaml.Node) { s.Body = append(s.Body, w.str(p, "template body parameter")) })
		}
	})
	return s
}
