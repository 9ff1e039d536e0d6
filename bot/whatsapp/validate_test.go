package whatsapp

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func rows(n int) []Row {
	out := make([]Row, n)
	for i := range out {
		out[i] = Row{ID: fmt.Sprintf("r%d", i), Title: fmt.Sprintf("Row %d", i)}
	}
	return out
}

func products(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d", prefix, i)
	}
	return out
}

func TestValidate(t *testing.T) {
	x := strings.Repeat
	list := func(edit func(*List)) List {
		l := List{Body: "Pick", Button: "Menu", Sections: []Section{{Title: "S", Rows: rows(2)}}}
		edit(&l)
		return l
	}
	tests := []struct {
		name   string
		msg    Message
		fields []string // of the *FieldErrors, in order; none for a valid message
	}{
		{"text ok", Text{Body: x("a", MaxTextBody)}, nil},
		{"text too long", Text{Body: x("a", MaxTextBody+1)}, []string{"body"}},
		{"text empty", Text{}, []string{"body"}},
		{"text blank", Text{Body: " \n\t"}, []string{"body"}},
		{"list blank body and row title", list(func(l *List) { l.Body, l.Sections[0].Rows[0].Title = "  ", " " }),
			[]string{"body", "sections[0].rows[0].title"}},
		{"catalog link empty", CatalogLink{PreviewURL: true}, []string{"body"}},
		{"emoji counted as one", Buttons{Body: "b", Buttons: []Button{{ID: "a", Title: x("🍕", MaxButtonTitle)}}}, nil},

		{"list ok", list(func(*List) {}), nil},
		{"list single untitled section", list(func(l *List) { l.Sections[0].Title = "" }), nil},
		{"list missing body and button", list(func(l *List) { l.Body, l.Button = "", "" }), []string{"body", "button"}},
		{"list long header footer button", list(func(l *List) {
			l.Header, l.Footer, l.Button = x("h", MaxHeader+1), x("f", MaxFooter+1), x("b", MaxListButton+1)
		}), []string{"header", "footer", "button"}},
		{"list no sections", list(func(l *List) { l.Sections = nil }), []string{"sections"}},
		{"list empty section", list(func(l *List) { l.Sections[0].Rows = nil }), []string{"sections[0].rows"}},
		{"list untitled among several", list(func(l *List) {
			l.Sections = []Section{{Rows: rows(1)}, {Title: "B", Rows: []Row{{ID: "z", Title: "Z"}}}}
		}), []string{"sections[0].title"}},
		{"list eleven rows in all", list(func(l *List) {
			r := rows(11)
			l.Sections = []Section{{Title: "A", Rows: r[:6]}, {Title: "B", Rows: r[6:]}}
		}), []string{"sections"}},
		{"list eleven rows in one section", list(func(l *List) { l.Sections[0].Rows = rows(11) }),
			[]string{"sections[0].rows", "sections"}},
		{"list eleven sections", list(func(l *List) {
			l.Sections = nil
			for i := range 11 {
				l.Sections = append(l.Sections, Section{Title: fmt.Sprint(i), Rows: []Row{{ID: fmt.Sprint(i), Title: "t"}}})
			}
		}), []string{"sections", "sections"}},
		{"list bad rows", list(func(l *List) {
			l.Sections[0].Rows = []Row{
				{ID: x("i", MaxRowID+1), Title: x("t", MaxRowTitle+1), Description: x("d", MaxRowDescription+1)},
				{ID: "", Title: ""},
				{ID: "same", Title: "a"}, {ID: "same", Title: "b"},
			}
			l.Sections[0].Title = x("s", MaxSectionTitle+1)
		}), []string{"sections[0].title", "sections[0].rows[0].id", "sections[0].rows[0].title",
			"sections[0].rows[0].description", "sections[0].rows[1].id", "sections[0].rows[1].title",
			"sections[0].rows[3].id"}},

		{"buttons ok", Buttons{Header: "h", Body: "b", Footer: "f", Buttons: []Button{{ID: "a", Title: "A"}, {ID: "b", Title: "B"}}}, nil},
		{"buttons none", Buttons{Body: "b"}, []string{"buttons"}},
		{"buttons four", Buttons{Body: "b", Buttons: []Button{{"1", "1"}, {"2", "2"}, {"3", "3"}, {"4", "4"}}}, []string{"buttons"}},
		{"buttons bad", Buttons{Header: x("h", MaxHeader+1), Footer: x("f", MaxFooter+1), Buttons: []Button{
			{ID: x("i", MaxButtonID+1), Title: x("t", MaxButtonTitle+1)}, {ID: "a", Title: "A"}, {ID: "a", Title: "A"}}},
			[]string{"header", "body", "footer", "buttons[0].id", "buttons[0].title", "buttons[2].id", "buttons[2].title"}},

		{"buttons id with spaces around", Buttons{Body: "b", Buttons: []Button{{ID: " yes", Title: "Yes"}, {ID: "no ", Title: "No"}}},
			[]string{"buttons[0].id", "buttons[1].id"}},

		{"product ok", Product{CatalogID: "1", ProductID: "p"}, nil},
		{"product bad", Product{Body: x("b", MaxBody+1), Footer: x("f", MaxFooter+1)},
			[]string{"catalog", "product", "body", "footer"}},

		{"product list ok", ProductList{CatalogID: "1", Header: "h", Body: "b", Sections: []ProductSection{
			{Title: "A", ProductIDs: products("a", 15)}, {Title: "B", ProductIDs: products("b", 15)}}}, nil},
		{"product list missing header, body and catalog", ProductList{Sections: []ProductSection{{ProductIDs: []string{"p"}}}},
			[]string{"catalog", "header", "body"}},
		{"product list 31 products", ProductList{CatalogID: "1", Header: "h", Body: "b", Sections: []ProductSection{
			{Title: "A", ProductIDs: products("a", 16)}, {Title: "B", ProductIDs: products("b", 15)}}}, []string{"sections"}},
		{"product list bad sections", ProductList{CatalogID: "1", Header: "h", Body: x("b", MaxBody+1), Sections: []ProductSection{
			{ProductIDs: []string{"p", "p", ""}}, {Title: "B"}}},
			[]string{"body", "sections[0].title", "sections[0].products[1]", "sections[0].products[2]", "sections[1].products"}},

		{"template ok", Template{Name: "n", Language: "en", CatalogID: "1", ProductID: "p", BodyParams: []string{"a"}}, nil},
		{"template param of a space left to WhatsApp", Template{Name: "n", Language: "en", CatalogID: "1", ProductID: "p", BodyParams: []string{" ", "a    b"}}, nil},
		{"template params with a new line, a tab, five spaces", Template{Name: "n", Language: "en", CatalogID: "1", ProductID: "p",
			BodyParams: []string{"a\nb", "a\tb", "a     b"}}, []string{"body[0]", "body[1]", "body[2]"}},
		{"template bad", Template{Name: x("n", MaxTemplateName+1), BodyParams: []string{"a", ""}},
			[]string{"name", "language", "catalog", "product", "body[1]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.msg)
			if got := fieldsOf(t, err); !slices.Equal(got, tt.fields) {
				t.Errorf("Validate fields = %q, want %q\nerror: %v", got, tt.fields, err)
			}
		})
	}
}

// fieldsOf returns the fields of the *FieldErrors in err, in order.
func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	if !errors.Is(err, ErrInvalidMessage) {
		t.Errorf("error %v is not ErrInvalidMessage", err)
	}
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	var fields []string
	for _, e := range errs {
		fe, ok := e.(*FieldError)
		if !ok {
			t.Fatalf("error %v is not a *FieldError", e)
		}
		fields = append(fields, fe.Field)
	}
	return fields
}

func TestFieldErrorMessage(t *testing.T) {
	err := Validate(List{Body: "b", Button: "m", Sections: []Section{{Rows: []Row{{ID: "a", Title: strings.Repeat("t", 25)}}}}})
	want := "whatsapp: list message: sections[0].rows[0].title is longer than 24 characters (25)"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}
