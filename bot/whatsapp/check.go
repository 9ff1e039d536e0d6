package whatsapp

import "strings"

func (m Text) check(c checker) checker {
	c.required(field("body"), m.Body, MaxTextBody)
	return c
}

func (m CatalogLink) check(c checker) checker {
	c.required(field("body"), m.Body, MaxTextBody)
	return c
}

func (m List) check(c checker) checker {
	c.text(field("header"), m.Header, MaxHeader)
	c.required(field("body"), m.Body, MaxBody)
	c.text(field("footer"), m.Footer, MaxFooter)
	c.required(field("button"), m.Button, MaxListButton)
	c.count(field("sections"), len(m.Sections), 1, MaxSections)
	rows, ids := 0, idSet{}
	for i, s := range m.Sections {
		f := item("sections", i)
		c.sectionTitle(f.field("title"), s.Title, len(m.Sections))
		c.count(f.field("rows"), len(s.Rows), 1, MaxListRows)
		for j, r := range s.Rows {
			r.check(&c, f.item("rows", j), &ids)
		}
		rows += len(s.Rows)
	}
	if rows > MaxListRows {
		c.add(field("sections"), "must have at most %d rows in all (has %d)", MaxListRows, rows)
	}
	return c
}

func (r Row) check(c *checker, f fieldPath, ids *idSet) {
	c.required(f.field("id"), r.ID, MaxRowID)
	c.unique(f.field("id"), ids, r.ID)
	c.required(f.field("title"), r.Title, MaxRowTitle)
	c.text(f.field("description"), r.Description, MaxRowDescription)
}

func (m Buttons) check(c checker) checker {
	c.text(field("header"), m.Header, MaxHeader)
	c.required(field("body"), m.Body, MaxBody)
	c.text(field("footer"), m.Footer, MaxFooter)
	c.count(field("buttons"), len(m.Buttons), 1, MaxButtons)
	var ids, titles idSet
	for i, b := range m.Buttons {
		f := item("buttons", i)
		c.required(f.field("id"), b.ID, MaxButtonID)
		if strings.TrimSpace(b.ID) != b.ID {
			c.add(f.field("id"), "must not start or end with a space")
		}
		c.unique(f.field("id"), &ids, b.ID)
		c.required(f.field("title"), b.Title, MaxButtonTitle)
		c.unique(f.field("title"), &titles, b.Title)
	}
	return c
}

func (m Product) check(c checker) checker {
	c.required(field("catalog"), m.CatalogID, noLimit)
	c.required(field("product"), m.ProductID, noLimit)
	c.text(field("body"), m.Body, MaxBody)
	c.text(field("footer"), m.Footer, MaxFooter)
	return c
}

func (m ProductList) check(c checker) checker {
	c.required(field("catalog"), m.CatalogID, noLimit)
	c.required(field("header"), m.Header, MaxHeader)
	c.required(field("body"), m.Body, MaxBody)
	c.text(field("footer"), m.Footer, MaxFooter)
	c.count(field("sections"), len(m.Sections), 1, MaxSections)
	items, ids := 0, idSet{}
	for i, s := range m.Sections {
		f := item("sections", i)
		c.sectionTitle(f.field("title"), s.Title, len(m.Sections))
		c.count(f.field("products"), len(s.ProductIDs), 1, MaxProducts)
		for j, id := range s.ProductIDs {
			g := f.item("products", j)
			c.required(g, id, noLimit)
			c.unique(g, &ids, id)
		}
		items += len(s.ProductIDs)
	}
	if items > MaxProducts {
		c.add(field("sections"), "must have at most %d products in all (has %d)", MaxProducts, items)
	}
	return c
}

func (m Template) check(c checker) checker {
	c.required(field("name"), m.Name, MaxTemplateName)
	c.required(field("language"), m.Language, noLimit)
	c.required(field("catalog"), m.CatalogID, noLimit)
	c.required(field("product"), m.ProductID, noLimit)
	for i, p := range m.BodyParams {
		c.param(item("body", i), p)
	}
	return c
}
