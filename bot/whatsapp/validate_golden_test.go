package whatsapp

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// invalidCases are messages with every kind of problem Validate reports, in
// the combinations whose order matters. Their errors are pinned, text and
// fields, in testdata/golden/invalid.txt.
var invalidCases = []struct {
	name string
	msg  Message
}{
	{"nil", nil},
	{"nil pointer", (*List)(nil)},
	{"text empty", Text{}},
	{"text too long", Text{Body: strings.Repeat("a", MaxTextBody+1)}},
	{"catalog link empty", CatalogLink{PreviewURL: true}},
	{"list pointer empty", &List{}},
	{"list long header footer button", List{Header: strings.Repeat("h", MaxHeader+1), Body: "b",
		Footer: strings.Repeat("f", MaxFooter+1), Button: strings.Repeat("b", MaxListButton+1),
		Sections: []Section{{Rows: rows(1)}}}},
	{"list two untitled sections", List{Body: "b", Button: "m", Sections: []Section{
		{Rows: rows(1)}, {Rows: []Row{{ID: "x", Title: "X"}}}}}},
	{"list repeated id in second section", List{Body: "b", Button: "m", Sections: []Section{
		{Title: "A", Rows: rows(2)}, {Title: "B", Rows: []Row{{ID: "x", Title: "X"}, {ID: "r1", Title: "Again"}, {ID: "x", Title: "Twice"}}}}}},
	{"list overlong row description", List{Body: "b", Button: "m", Sections: []Section{
		{Title: "A", Rows: rows(1)}, {Title: "B", Rows: []Row{{ID: "x", Title: "X", Description: strings.Repeat("d", MaxRowDescription+1)}}}}}},
	{"list bad rows", List{Body: "b", Button: "m", Sections: []Section{{Title: strings.Repeat("s", MaxSectionTitle+1), Rows: []Row{
		{ID: strings.Repeat("i", MaxRowID+1), Title: strings.Repeat("t", MaxRowTitle+1), Description: strings.Repeat("d", MaxRowDescription+1)},
		{ID: "", Title: ""}, {ID: "", Title: "e"},
		{ID: "same", Title: "a"}, {ID: "same", Title: "b"}, {ID: "same", Title: "c"},
	}}}}},
	{"list eleven rows in one section", List{Body: "b", Button: "m", Sections: []Section{{Title: "A", Rows: rows(11)}}}},
	{"list twelve sections", List{Body: "b", Button: "m", Sections: twelveSections()}},
	{"list empty second section", List{Body: "b", Button: "m", Sections: []Section{{Title: "A", Rows: rows(1)}, {Title: "B"}}}},
	{"list forty repeated rows", List{Body: "b", Button: "m", Sections: []Section{
		{Title: "A", Rows: append(rows(20), rows(20)...)}}}},
	{"buttons none", Buttons{Body: "b"}},
	{"buttons four", Buttons{Body: "b", Buttons: []Button{{"1", "1"}, {"2", "2"}, {"3", "3"}, {"4", "4"}}}},
	{"buttons repeated title", Buttons{Body: "b", Buttons: []Button{{"yes", "Yes"}, {"no", "No"}, {"sure", "Yes"}}}},
	{"buttons bad", Buttons{Header: strings.Repeat("h", MaxHeader+1), Footer: strings.Repeat("f", MaxFooter+1), Buttons: []Button{
		{ID: strings.Repeat("i", MaxButtonID+1), Title: strings.Repeat("t", MaxButtonTitle+1)}, {ID: "a", Title: "A"}, {ID: "a", Title: "A"}, {}}}},
	{"product empty", Product{}},
	{"product long body footer", Product{CatalogID: "1", ProductID: "p", Body: strings.Repeat("b", MaxBody+1), Footer: strings.Repeat("f", MaxFooter+1)}},
	{"product list empty", ProductList{}},
	{"product list empty id in second section and repeated id", ProductList{CatalogID: "1", Header: "h", Body: "b", Sections: []ProductSection{
		{Title: "A", ProductIDs: []string{"p1", "p2"}}, {Title: "B", ProductIDs: []string{"p3", "", "p1", "p3", ""}}}}},
	{"product list bad sections", ProductList{CatalogID: "1", Header: "h", Body: strings.Repeat("b", MaxBody+1), Sections: []ProductSection{
		{ProductIDs: []string{"p", "p", ""}}, {Title: strings.Repeat("t", MaxSectionTitle+1)}}}},
	{"product list 31 products", ProductList{CatalogID: "1", Header: "h", Body: "b", Sections: []ProductSection{
		{Title: "A", ProductIDs: products("a", 16)}, {Title: "B", ProductIDs: products("b", 15)}}}},
	{"product list 40 products repeated", ProductList{CatalogID: "1", Header: "h", Body: "b", Sections: []ProductSection{
		{Title: "A", ProductIDs: products("a", 20)}, {Title: "B", ProductIDs: products("a", 20)}}}},
	{"template empty", Template{}},
	{"template empty body[1]", Template{Name: "n", Language: "en", CatalogID: "1", ProductID: "p", BodyParams: []string{"a", "", "c"}}},
	{"template long name and param", Template{Name: strings.Repeat("n", MaxTemplateName+1), Language: "en", CatalogID: "1", ProductID: "p",
		BodyParams: []string{strings.Repeat("x", MaxTextBody+1)}}},
}

func twelveSections() []Section {
	var out []Section
	for i := range 12 {
		out = append(out, Section{Title: fmt.Sprint(i), Rows: []Row{{ID: fmt.Sprint(i), Title: "t"}}})
	}
	return out
}

func TestValidateGolden(t *testing.T) {
	var got bytes.Buffer
	for _, tt := range invalidCases {
		err := Validate(tt.msg)
		if err == nil {
			t.Errorf("%s: Validate = nil, want an error", tt.name)
			continue
		}
		fmt.Fprintf(&got, "== %s\n%s\n", tt.name, err)
		for _, e := range joined(err) {
			if fe, ok := e.(*FieldError); ok {
				fmt.Fprintf(&got, "-- kind=%q field=%q problem=%q\n", fe.Kind, fe.Field, fe.Problem)
			}
		}
	}
	checkGolden(t, filepath.Join("testdata", "golden", "invalid.txt"), got.Bytes(), "Validate errors")
}

// joined returns the errors err joins, or err alone.
func joined(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
