package bottest

import (
	"fmt"
	"slices"
	"strings"
)

// Want is what a test expects of one sent message. Kind is always checked;
// every other field is checked only when set (a nil slice is not checked,
// an empty one must be empty).
type Want struct {
	Kind         string   `json:"kind"`
	Header       string   `json:"header,omitempty"`
	Body         string   `json:"body,omitempty"`
	BodyContains string   `json:"body_contains,omitempty"`
	Footer       string   `json:"footer,omitempty"`
	Button       string   `json:"button,omitempty"`
	Rows         []string `json:"rows,omitempty"`
	Buttons      []string `json:"buttons,omitempty"`
	Products     []string `json:"products,omitempty"`
	Catalog      string   `json:"catalog,omitempty"`
	Template     string   `json:"template,omitempty"`
	Language     string   `json:"language,omitempty"`
	Params       []string `json:"params,omitempty"`
	Link         string   `json:"link,omitempty"`
}

// Mismatch is one field that differs from what a test wanted.
type Mismatch struct {
	Field     string
	Want, Got string
}

// String says the field, the wanted and the sent value.
func (m Mismatch) String() string {
	if m.Field == "body_contains" {
		return fmt.Sprintf("body: want it to contain %s, sent %s", m.Want, m.Got)
	}
	return fmt.Sprintf("%s: want %s, sent %s", m.Field, m.Want, m.Got)
}

// Match compares a sent message with w and returns every difference.
func Match(v View, w Want) []Mismatch {
	var ms []Mismatch
	str := func(field, want, got string) {
		if want != "" && want != got {
			ms = append(ms, Mismatch{field, fmt.Sprintf("%q", want), fmt.Sprintf("%q", got)})
		}
	}
	list := func(field string, want, got []string) {
		if want != nil && !slices.Equal(want, got) {
			ms = append(ms, Mismatch{field, listString(want), listString(got)})
		}
	}
	str("kind", w.Kind, v.Kind)
	str("header", w.Header, v.Header)
	str("body", w.Body, v.Body)
	if w.BodyContains != "" && !strings.Contains(v.Body, w.BodyContains) {
		ms = append(ms, Mismatch{"body_contains", fmt.Sprintf("%q", w.BodyContains), fmt.Sprintf("%q", v.Body)})
	}
	str("footer", w.Footer, v.Footer)
	str("button", w.Button, v.Button)
	list("rows", w.Rows, v.Rows)
	list("buttons", w.Buttons, v.Buttons)
	list("products", w.Products, v.Products)
	str("catalog", w.Catalog, v.Catalog)
	str("template", w.Template, v.Template)
	str("language", w.Language, v.Language)
	list("params", w.Params, v.Params)
	str("link", w.Link, v.Link)
	return ms
}

func listString(l []string) string {
	if len(l) == 0 {
		return "[]"
	}
	return "[" + strings.Join(l, ", ") + "]"
}

// Compare checks the sent messages against wants, in order and in number,
// and returns one line per problem; none means they match.
func Compare(sent []View, wants []Want) []string {
	var out []string
	if len(sent) != len(wants) {
		out = append(out, fmt.Sprintf("want %d message(s) %s, sent %d %s", len(wants), listString(wantKinds(wants)), len(sent), listString(viewKinds(sent))))
	}
	for i := range min(len(sent), len(wants)) {
		for _, m := range Match(sent[i], wants[i]) {
			out = append(out, fmt.Sprintf("message %d (%s): %s", i+1, sent[i].Kind, m))
		}
	}
	return out
}

func wantKinds(ws []Want) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.Kind
	}
	return out
}

func viewKinds(vs []View) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Kind
	}
	return out
}
