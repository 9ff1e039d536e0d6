package flows

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/template"

	"github.com/souk-commerce/souk/bot/catalog"
)

// Data is what every flow string can use as a Go text/template.
type Data struct {
	Contact Contact
	Phone   string
	Vars    map[string]any
	// Order is the shopper's last cart; empty until they send one.
	Order catalog.Order
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

// compileStr parses s as a text/template when it holds an action, and
// checks its fields against Data.
func (w *walker) compileStr(s *Str, what string) {
	if !strings.Contains(s.Raw, "{{") {
		return
	}
	t, err := template.New(what).Option("missingkey=zero").Parse(s.Raw)
	if err != nil {
		w.diags = append(w.diags, Diagnostic{File: w.file, Pos: s.Pos, Code: "bad-template", Message: fmt.Sprintf("%s: %s", what, templateError(err))})
		return
	}
	if err := t.Execute(io.Discard, sample); err != nil && strings.Contains(err.Error(), "can't evaluate field") {
		w.diags = append(w.diags, Diagnostic{File: w.file, Pos: s.Pos, Code: "unknown-field", Message: fmt.Sprintf("%s: %s (fields: .Contact.Name, .Phone, .Vars, .Order)", what, templateError(err))})
		return
	}
	s.tmpl = t
}

func templateError(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && strings.HasPrefix(msg, "template: ") {
		return msg[i+2:]
	}
	return msg
}

// Render executes s for d. A string without actions is returned as is.
func (s Str) Render(d *Data) (string, error) {
	if s.tmpl == nil {
		return s.Raw, nil
	}
	var buf bytes.Buffer
	if err := s.tmpl.Execute(&capped{w: &buf, left: MaxRendered}, d); err != nil {
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
