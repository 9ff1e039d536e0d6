package whatsapp

import "strconv"

// fieldPath is the path of a field of a message, like
// "sections[1].rows[0].title": a name, after up to two indexed lists. It is
// kept in parts and only joined by String, for a FieldError, so that a valid
// message builds no strings.
type fieldPath struct {
	list  string // outer list, like "sections"; "" for a top-level field
	i     int    // index into list
	inner string // list inside list[i], like "rows"; "" for none
	j     int    // index into inner
	name  string // last part, like "title"; "" when the path ends at an index
}

// field is the path of the top-level field name.
func field(name string) fieldPath { return fieldPath{name: name} }

// item is the path of list[i].
func item(list string, i int) fieldPath { return fieldPath{list: list, i: i} }

// field is the path of p.name.
func (p fieldPath) field(name string) fieldPath {
	p.name = name
	return p
}

// item is the path of p.inner[j]; p must end at its outer index.
func (p fieldPath) item(inner string, j int) fieldPath {
	p.inner, p.j = inner, j
	return p
}

func (p fieldPath) String() string {
	if p.list == "" {
		return p.name
	}
	s := p.list + "[" + strconv.Itoa(p.i) + "]"
	if p.inner != "" {
		s += "." + p.inner + "[" + strconv.Itoa(p.j) + "]"
	}
	if p.name != "" {
		s += "." + p.name
	}
	return s
}
