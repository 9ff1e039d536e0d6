package flows

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strings"
	"text/template"

	"github.com/souk-commerce/souk/bot/catalog"
	"github.com/souk-commerce/souk/bot/whatsapp"
)

// Data is what every flow string can use as a Go text/template.
type Data struct {
	Contact Contact
	Phone   string
	Vars    map[string]any
	// Order is the shopper's last cart of this session; empty until they send one.
	Order catalog.Order
	// Location is the last place the shopper shared this session; zero
	// until they share one.
	Location whatsapp.Location
	// Media is the last file the shopper sent this session; zero until
	// they send one.
	Media whatsapp.Media
}

// Contact is the shopper as WhatsApp names them.
type Contact struct {
	Name string
}

// MaxRendered caps the bytes one flow string may render to.
const MaxRendered = 64 << 10

// ErrRenderTooLarge is returned when a string renders past MaxRendered.
var ErrRenderTooLarge = errors.New("rendered text is larger than 64 KiB")

// sample is rendered once at load time to find fields that do not exist.
var sample = &Data{Vars: map[string]any{}, Order: catalog.Order{Items: []catalog.Item{{}}, Totals: []catalog.Amount{{}}}}

// templateFuncs are the functions souk adds to text/template's own:
// money writes an amount with its currency's decimal places and its code,
// {{money .Order.Total .Order.Currency}} = "12.90 EUR".
var templateFuncs = template.FuncMap{"money": catalog.Money}

// compileStr parses s as a text/template when it holds an action, refuses
// actions that let a string call another, and checks its fields against
// Data.
func (w *walker) compileStr(s *Str, what string) {
	if !strings.Contains(s.Raw, "{{") {
		return
	}
	t, err := template.New(what).Option("missingkey=zero").Funcs(noTick).Funcs(templateFuncs).Parse(s.Raw)
	if err != nil {
		w.templateDiag(s, err, "bad-template", fmt.Sprintf("%s: %s%s", what, templateError(err), dotHint(err)))
		return
	}
	if action := forbiddenAction(t); action != "" {
		w.templateDiag(s, nil, "template-action", unsafeTemplate(what, action))
		return
	}
	loops := instrument(t)
	err = execTemplate(t, loops, &capped{w: io.Discard, left: MaxRendered}, sample)
	switch {
	case err != nil && strings.Contains(err.Error(), "can't evaluate field"):
		w.templateDiag(s, err, "unknown-field", fmt.Sprintf("%s: %s%s", what, templateError(err), fieldHint(templateError(err))))
		return
	case err != nil && strings.Contains(err.Error(), "wrong number of args"):
		msg := err.Error()
		w.templateDiag(s, err, "bad-call", fmt.Sprintf("%s: %s", what, msg[strings.Index(msg, "wrong number of args"):]))
		return
	case errors.Is(err, ErrRenderTooSlow):
		w.templateDiag(s, nil, "slow-template", fmt.Sprintf("%s: %v", what, err))
		return
	}
	s.tmpl, s.loops = t, loops
}

// templateDiag adds an error diagnostic at s, or where in s err points.
func (w *walker) templateDiag(s *Str, err error, code, msg string) {
	w.diags = append(w.diags, Diagnostic{File: w.file, Pos: w.templatePos(s, err), Code: code, Message: msg})
}

func templateError(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && strings.HasPrefix(msg, "template: ") {
		msg = msg[i+2:]
	}
	return goTypes.Replace(msg)
}

// goTypes names the Go types of the template data as a flow writes them.
var goTypes = strings.NewReplacer(
	"in type *flows.Data", "in the template data",
	"in type flows.Contact", "in .Contact",
	"in type catalog.Order", "in .Order",
	"in type catalog.Item", "in an item of .Order.Items",
	"in type catalog.Amount", "in an amount of .Order.Totals",
	"in type whatsapp.Location", "in .Location",
	"in type whatsapp.Media", "in .Media",
)

// dataTypes are the types goTypes names, by the name it gives them.
var dataTypes = map[string]reflect.Type{
	"the template data":          reflect.TypeFor[*Data](),
	".Contact":                   reflect.TypeFor[Contact](),
	".Order":                     reflect.TypeFor[catalog.Order](),
	"an item of .Order.Items":    reflect.TypeFor[catalog.Item](),
	"an amount of .Order.Totals": reflect.TypeFor[catalog.Amount](),
	".Location":                  reflect.TypeFor[whatsapp.Location](),
	".Media":                     reflect.TypeFor[whatsapp.Media](),
}

// unknownField reads the field and where of "can't evaluate field F in X".
var unknownField = regexp.MustCompile(`can't evaluate field (\w+) in (.+)$`)

// fieldHint suggests the field a template most likely meant, or lists
// those it can use where it looked.
func fieldHint(msg string) string {
	m := unknownField.FindStringSubmatch(msg)
	if m == nil || dataTypes[m[2]] == nil {
		return ""
	}
	names := fieldNames(dataTypes[m[2]])
	if s := suggest(m[1], names); s != "" {
		return fmt.Sprintf(" (did you mean .%s?)", s)
	}
	if m[2] == "the template data" {
		return " (fields: .Contact.Name, .Phone, .Vars, .Order, .Location, .Media)"
	}
	return " (fields: ." + strings.Join(names, ", .") + ")"
}

// fieldNames lists the exported fields and methods a template can use on t.
func fieldNames(t reflect.Type) []string {
	var names []string
	for i := range t.NumMethod() {
		names = append(names, t.Method(i).Name)
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	for i := range t.NumField() {
		if f := t.Field(i); f.IsExported() {
			names = append(names, f.Name)
		}
	}
	return names
}

// dotHint tells a template that called a field as a function to start it
// with a dot: {{Contact.Name}} for {{.Contact.Name}}.
func dotHint(err error) string {
	for _, f := range []string{"Contact", "Phone", "Vars", "Order", "Location", "Media"} {
		if strings.Contains(err.Error(), `function "`+f+`" not defined`) {
			return fmt.Sprintf(" (a field starts with a dot: {{.%s}})", f)
		}
	}
	return ""
}

// Render executes s for d. A string without actions is returned as is.
func (s Str) Render(d *Data) (string, error) {
	if s.tmpl == nil {
		return s.Raw, nil
	}
	var buf bytes.Buffer
	if err := execTemplate(s.tmpl, s.loops, &capped{w: &buf, left: MaxRendered}, d); err != nil {
		return "", fmt.Errorf("line %d col %d: %w", s.Pos.Line, s.Pos.Col, err)
	}
	// A missing key in .Vars renders as "<no value>"; a shopper should see nothing.
	return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
}

// capped is a writer that refuses to grow past left bytes.
type capped struct {
	w    io.Writer
	left int
}

func (c *capped) Write(p []byte) (int, error) {
	if len(p) > c.left {
		return 0, ErrRenderTooLarge
	}
	c.left -= len(p)
	return c.w.Write(p)
}
