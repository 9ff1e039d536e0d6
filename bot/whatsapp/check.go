package whatsapp

import "fmt"

func (m Text) check(c *checker) { c.required("body", m.Body, MaxTextBody) }

func (m CatalogLink) check(c *checker) { c.required("body", m.Body, MaxTextBody) }

func (m List) check(c *checker) {
	c.text("header", m.Header, MaxHeader)
	c.required("body", m.Body, MaxBody)
	c.text("footer", m.Footer, MaxFooter)
	c.required("button", m.Button, MaxListButton)
	c.count("sections", len(m.Sections), 1, MaxSections)
	rows, ids := 0, map[string]bool{}
	for i, s := range m.Sections {
		f := fmt.Sprintf("sections[%d]", i)
		c.sectionTitle(f+".title", s.Title, len(m.Sections))
		c.count(f+".rows", len(s.Rows), 1, MaxListRows)
		for j, r := range s.Rows {
			r.check(c, fmt.Sprintf("%s.rows[%d]", f, j), ids)
		}
		rows += len(s.Rows)
	}
	if rows > MaxListRows {
		c.add("sections", "must have at most %d rows in all (has %d)", MaxListRows, rows)
	}
}

func (r Row) check(c *checker, f string, ids map[string]bool) {
	c.required(f+".id", r.ID, MaxRowID)
	c.unique(f+".id", ids, r.ID)
	c.required(f+".title", r.Title, MaxRowTitle)
	c.text(f+".description", r.Description, MaxRowDescription)
}

func (m Buttons) check(c *checker) {
	c.text("header", m.Header, MaxHeader)
	c.required("body", m.Body, MaxBody)
	c.text("footer", m.Footer, MaxFooter)
	c.count("buttons", len(m.Buttons), 1, MaxButtons)
	ids, titles := map[string]bool{}, map[string]bool{}
	for i, b := range m.Buttons {
		f := fmt.Sprintf("buttons[%d]", i)
		c.required(f+".id", b.ID, MaxButtonID)
		c.unique(f+".id", ids, b.ID)
		c.required(f+".title", b.Title, MaxButtonTitle)
		c.unique(f+".title", titles, b.Title)
	}
}

func (m Product) check(c *checker) {
	c.required("catalog", m.CatalogID, noLimit)
	c.required("product", m.ProductID, noLimit)
	c.text("body", m.Body, MaxBody)
	c.text("footer", m.Footer, MaxFooter)
}

func (m ProductList) check(c *checker) {
	c.required("catalog", m.CatalogID, noLimit)
	c.required("header", m.Header, MaxHeader)
	c.text("body", m.Body, MaxBody)
	c.text("footer", m.Footer, MaxFooter)
	c.count("sections", len(m.Sections), 1, MaxSections)
	items, ids := 0, map[string]bool{}
	for i, s := range m.Sections {
		f := fmt.Sprintf("sections[%d]", i)
		c.sectionTitle(f+".title", s.Title, len(m.Sections))
		c.count(f+".products", len(s.ProductIDs), 1, MaxProducts)
		for j, id := range s.ProductIDs {
			g := fmt.Sprintf("%s.products[%d]", f, j)
			c.required(g, id, noLimit)
			c.unique(g, ids, id)
		}
		items += len(s.ProductIDs)
	}
	if items > MaxProducts {
		c.add("sections", "must have at most %d products in all (has %d)", MaxProducts, items)
	}
}

func (m Template) check(c *checker) {
	c.required("name", m.Name, MaxTemplateName)
	c.required("language", m.Language, noLimit)
	c.required("catalog", m.CatalogID, noLimit)
	c.required("product", m.ProductID, noLimit)
	for i, p := range m.BodyParams {
		c.required(fmt.Sprintf("body[%d]", i), p, MaxTextBody)
	}
}
