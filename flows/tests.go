package flows

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"gopkg.in/yaml.v3"
)

// Test is one conversation test from a flow's `tests:` block or its
// sibling <flow>.test.yaml: a shopper's inputs, each followed by what souk
// must send and where the conversation must be.
type Test struct {
	Name string
	File string
	Pos  Pos
	// Phone and Shopper are the shopper's number and profile name; empty
	// means the runner's defaults.
	Phone, Shopper string
	// StartState and StartVars, when set, put the conversation there
	// before the first step.
	StartState Target
	StartVars  map[string]any
	Steps      []Step
}

// Step is one shopper input and the checks on its outcome.
type Step struct {
	Pos Pos
	// Input is text, tap, cart, location, media, webhook or wait.
	Input string
	// Value is the typed text, the tapped id or the webhook fixture path
	// (relative to the test's file), as written.
	Value    string
	Cart     []CartItem
	Location whatsapp.Location
	Media    whatsapp.Media
	Wait     time.Duration
	ID       string // inbound message id; empty means a fresh one
	Expect   []Expect
	Checked  bool // Expect was given (or nothing: true): messages are checked
	State    Target
	Vars     map[string]any
}

// CartItem is one line of a cart a test step sends.
type CartItem struct {
	ID       string
	Qty      int
	Price    float64
	Currency string
}

// Expect is what one sent message must look like: its kind, and each field
// that was written.
type Expect struct {
	Pos          Pos
	Kind         string
	Header       string
	Body         string
	BodyContains string
	Footer       string
	Button       string
	Rows         []string
	Buttons      []string
	Products     []string
	Catalog      string
	Template     string
	Language     string
	Params       []string
	Link         string
}

var (
	testFileKeys = []string{"tests"}
	testKeys     = []string{"name", "shopper", "start", "steps"}
	shopperKeys  = []string{"phone", "name"}
	startKeys    = []string{"state", "vars"}
	stepInputs   = []string{"text", "tap", "cart", "location", "media", "webhook", "wait"}
	stepKeys     = append(append([]string{}, stepInputs...), "id", "expect", "nothing", "state", "vars")
	cartKeys     = []string{"id", "qty", "price", "currency"}
	locationKeys = []string{"latitude", "longitude", "name", "address", "url"}
	mediaKeys    = []string{"type", "caption", "filename", "mime_type", "id", "url"}
	// expectKeys lists, per kind, the fields a test may check.
	expectKeys = map[string][]string{
		"text":         {"body", "body_contains", "link"},
		"catalog_link": {"body", "body_contains", "link"},
		"list":         {"header", "body", "body_contains", "footer", "button", "rows"},
		"buttons":      {"header", "body", "body_contains", "footer", "buttons"},
		"product":      {"body", "body_contains", "footer", "catalog", "products"},
		"product_list": {"header", "body", "body_contains", "footer", "catalog", "products"},
		"template":     {"template", "language", "catalog", "products", "params", "body", "body_contains"},
	}
	expectKinds = []string{"text", "list", "buttons", "product", "product_list", "catalog_link", "template"}
)

// TestFile returns the sibling test file of a flow: flow.yaml ->
// flow.test.yaml.
func TestFile(flowPath string) string {
	ext := filepath.Ext(flowPath)
	return strings.TrimSuffix(flowPath, ext) + ".test" + ext
}

// FlowOfTestFile returns the flow a test file tests (flow.test.yaml ->
// flow.yaml), and false when path is not named like a test file.
func FlowOfTestFile(path string) (string, bool) {
	ext := filepath.Ext(path)
	base := strings.TrimSuffix(path, ext)
	if !strings.HasSuffix(base, ".test") {
		return "", false
	}
	return strings.TrimSuffix(base, ".test") + ext, true
}

// LoadTests reads a test file: a mapping with one key, `tests`, holding a
// list of tests in the same form as a flow's `tests:` block.
func LoadTests(path string) ([]Test, Diagnostics) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, Diagnostics{{File: path, Pos: Pos{1, 1}, Code: "read-error", Message: "cannot read tests: " + err.Error()}}
	}
	w := &walker{file: path}
	doc, ok := w.document(data, "test file")
	if !ok {
		return nil, w.diags
	}
	var tests []Test
	if len(doc.Content) > 0 {
		w.fields(doc.Content[0], "test file", testFileKeys, testFileKeys, func(_ string, v *yaml.Node) {
			tests = w.tests(v)
		})
	}
	w.diags.Sort()
	return tests, w.diags
}

// tests reads a list of tests.
func (w *walker) tests(v *yaml.Node) []Test {
	var out []Test
	names := map[string]bool{}
	w.seq(v, "tests", func(i int, item *yaml.Node) {
		t := w.test(item, i)
		if names[t.Name] {
			w.errorf(item, "duplicate-test", "test %q is defined twice", t.Name)
		}
		names[t.Name] = true
		out = append(out, t)
	})
	return out
}

func (w *walker) test(v *yaml.Node, i int) Test {
	t := Test{File: w.file, Pos: pos(v), Name: "test " + strconv.Itoa(i+1)}
	what := "tests[" + strconv.Itoa(i) + "]"
	w.fields(v, what, testKeys, []string{"name", "steps"}, func(key string, v *yaml.Node) {
		switch key {
		case "name":
			t.Name = w.plain(v, what+".name")
			what = "test " + strconv.Quote(t.Name)
		case "shopper":
			w.fields(v, what+".shopper", shopperKeys, nil, func(key string, v *yaml.Node) {
				if key == "phone" {
					t.Phone = w.plain(v, what+".shopper.phone")
					if t.Phone != "" && !whatsapp.ValidShopper(whatsapp.ShopperID(t.Phone)) {
						w.errorf(v, "bad-phone", "%s.shopper.phone %q is neither an E.164 phone number (8 to 15 digits, country code first) nor a WhatsApp user id: souk would drop its messages", what, t.Phone)
					}
				} else {
					t.Shopper = w.plain(v, what+".shopper.name")
				}
			})
		case "start":
			w.fields(v, what+".start", startKeys, nil, func(key string, v *yaml.Node) {
				if key == "state" {
					t.StartState = Target{State: w.plain(v, what+".start.state"), Pos: pos(v)}
				} else {
					t.StartVars = w.vars(v, what+".start.vars")
				}
			})
		case "steps":
			w.seq(v, what+".steps", func(i int, item *yaml.Node) {
				t.Steps = append(t.Steps, w.step(item, what+" step "+strconv.Itoa(i+1)))
			})
			if v.Kind == yaml.SequenceNode && len(v.Content) == 0 {
				w.errorf(v, "test-no-steps", "%s has no steps: a test needs at least one", what)
			}
		}
	})
	return t
}

func (w *walker) step(v *yaml.Node, what string) Step {
	s := Step{Pos: pos(v)}
	ok := w.fields(v, what, stepKeys, nil, func(key string, v *yaml.Node) {
		if contains(stepInputs, key) {
			w.stepInput(&s, key, v, what)
			return
		}
		switch key {
		case "id":
			s.ID = w.plain(v, what+".id")
		case "expect":
			s.Checked = true
			w.seq(v, what+".expect", func(_ int, item *yaml.Node) {
				if e, ok := w.expect(item, what+".expect"); ok {
					s.Expect = append(s.Expect, e)
				}
			})
		case "nothing":
			if w.boolean(v, what+".nothing") {
				s.Checked = true
			}
		case "state":
			s.State = Target{State: w.plain(v, what+".state"), Pos: pos(v)}
		case "vars":
			s.Vars = w.vars(v, what+".vars")
		}
	})
	if ok && s.Input == "" {
		w.errorf(v, "test-no-input", "%s needs one of %s", what, strings.Join(stepInputs, ", "))
	}
	if ok && s.Checked && len(s.Expect) > 0 && hasKey(v, "nothing") {
		w.errorf(v, "test-nothing-and-expect", "%s: nothing: true and expect contradict each other", what)
	}
	return s
}

func (w *walker) stepInput(s *Step, key string, v *yaml.Node, what string) {
	if s.Input != "" {
		w.errorf(v, "test-two-inputs", "%s has both %s and %s; write one input per step", what, s.Input, key)
		return
	}
	s.Input = key
	switch key {
	case "cart":
		s.Cart = w.cart(v, what+".cart")
	case "location":
		s.Location = w.location(v, what+".location")
	case "media":
		s.Media = w.media(v, what+".media")
	case "wait":
		d, err := time.ParseDuration(v.Value)
		if v.Kind != yaml.ScalarNode || err != nil || d <= 0 {
			w.errorf(v, "bad-duration", "%s.wait must be a positive duration like 30m or 25h, not %s", what, kindName(v))
		}
		s.Wait, s.Value = d, v.Value
	default:
		s.Value = w.plain(v, what+"."+key)
	}
}

func (w *walker) cart(v *yaml.Node, what string) []CartItem {
	var items []CartItem
	w.seq(v, what, func(_ int, item *yaml.Node) {
		it := CartItem{Qty: 1}
		w.fields(item, what+" item", cartKeys, []string{"id"}, func(key string, v *yaml.Node) {
			switch key {
			case "id":
				it.ID = w.plain(v, what+".id")
			case "qty":
				it.Qty = int(w.number(v, what+".qty", true))
			case "price":
				it.Price = w.number(v, what+".price", false)
			case "currency":
				it.Currency = w.plain(v, what+".currency")
			}
		})
		items = append(items, it)
	})
	return items
}

// location reads `{latitude, longitude, name?, address?, url?}`.
func (w *walker) location(v *yaml.Node, what string) whatsapp.Location {
	var l whatsapp.Location
	w.fields(v, what, locationKeys, locationKeys[:2], func(key string, v *yaml.Node) {
		switch key {
		case "latitude":
			l.Latitude = w.coordinate(v, what+".latitude", whatsapp.MaxLatitude)
		case "longitude":
			l.Longitude = w.coordinate(v, what+".longitude", whatsapp.MaxLongitude)
		case "name":
			l.Name = w.plain(v, what+".name")
		case "address":
			l.Address = w.plain(v, what+".address")
		case "url":
			l.URL = w.plain(v, what+".url")
		}
	})
	return l
}

// media reads a file's type, `image`, or `{type, caption?, filename?,
// mime_type?, id?, url?}`.
func (w *walker) media(v *yaml.Node, what string) whatsapp.Media {
	var m whatsapp.Media
	if v.Kind == yaml.ScalarNode {
		m.Type = w.mediaType(v, what)
		return m
	}
	strs := map[string]*string{"caption": &m.Caption, "filename": &m.Filename, "mime_type": &m.MimeType, "id": &m.ID, "url": &m.URL}
	w.fields(v, what, mediaKeys, mediaKeys[:1], func(key string, v *yaml.Node) {
		if key == "type" {
			m.Type = w.mediaType(v, what+".type")
			return
		}
		*strs[key] = w.plain(v, what+"."+key)
	})
	return m
}

// mediaType reads the type of a file: one of whatsapp.MediaTypes.
func (w *walker) mediaType(v *yaml.Node, what string) string {
	t := w.plain(v, what)
	if v.Kind == yaml.ScalarNode && !contains(whatsapp.MediaTypes, t) {
		w.errorf(v, "unknown-media-type", "%s: %s", what, unknownValue("media type", t, whatsapp.MediaTypes))
	}
	return t
}

// unknownValue says that got is not one of allowed: `unknown NOUN "got"`,
// then the likely one meant, or else the list.
func unknownValue(noun, got string, allowed []string) string {
	if s := suggest(got, allowed); s != "" {
		return fmt.Sprintf("unknown %s %q (did you mean %q?)", noun, got, s)
	}
	return fmt.Sprintf("unknown %s %q (one of %s)", noun, got, strings.Join(allowed, ", "))
}

// coordinate reads a latitude or longitude: a number within ±limit.
func (w *walker) coordinate(v *yaml.Node, what string, limit float64) float64 {
	f, err := strconv.ParseFloat(v.Value, 64)
	if v.Kind != yaml.ScalarNode || err != nil || math.Abs(f) > limit {
		w.errorf(v, "wrong-type", "%s must be a number from -%g to %g, not %s", what, limit, limit, kindName(v))
	}
	return f
}

// expect reads `kind` or `kind: {field: value, ...}`.
func (w *walker) expect(v *yaml.Node, what string) (Expect, bool) {
	e := Expect{Pos: pos(v)}
	var checks *yaml.Node
	switch {
	case v.Kind == yaml.ScalarNode:
		e.Kind = v.Value
	case v.Kind == yaml.MappingNode && len(v.Content) == 2:
		e.Kind, checks = v.Content[0].Value, v.Content[1]
	default:
		w.errorf(v, "wrong-type", "%s: each item is a message kind, or kind: {field: value}", what)
		return e, false
	}
	if !contains(expectKinds, e.Kind) {
		w.errorf(keyNode(v), "unknown-kind", "%s: %s", what, unknownValue("message kind", e.Kind, expectKinds))
		return e, false
	}
	if checks == nil || (checks.Kind == yaml.ScalarNode && checks.Tag == "!!null") {
		return e, true
	}
	w.fields(checks, what+" "+e.Kind, expectKeys[e.Kind], nil, func(key string, v *yaml.Node) { w.expectField(&e, key, v, what) })
	return e, true
}

func (w *walker) expectField(e *Expect, key string, v *yaml.Node, what string) {
	what += " " + e.Kind + "." + key
	strs := map[string]*string{"header": &e.Header, "body": &e.Body, "body_contains": &e.BodyContains, "footer": &e.Footer,
		"button": &e.Button, "catalog": &e.Catalog, "template": &e.Template, "language": &e.Language, "link": &e.Link}
	lists := map[string]*[]string{"rows": &e.Rows, "buttons": &e.Buttons, "products": &e.Products, "params": &e.Params}
	if p, ok := strs[key]; ok {
		*p = w.plain(v, what)
		return
	}
	l := []string{}
	w.seq(v, what, func(_ int, item *yaml.Node) { l = append(l, w.plain(item, what)) })
	*lists[key] = l
}

// plain reads a scalar as written, without compiling it as a template.
func (w *walker) plain(v *yaml.Node, what string) string {
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
		w.errorf(v, "wrong-type", "%s must be a string, not %s", what, kindName(v))
		return ""
	}
	return v.Value
}

func (w *walker) number(v *yaml.Node, what string, integer bool) float64 {
	f, err := strconv.ParseFloat(v.Value, 64)
	if v.Kind != yaml.ScalarNode || err != nil || f < 0 || (integer && f != float64(int(f))) {
		w.errorf(v, "wrong-type", "%s must be a non-negative number, not %s", what, kindName(v))
	}
	return f
}

// vars reads a mapping of var name -> any YAML value.
func (w *walker) vars(v *yaml.Node, what string) map[string]any {
	m := map[string]any{}
	if v.Kind != yaml.MappingNode || v.Decode(&m) != nil {
		w.errorf(v, "wrong-type", "%s must be a mapping of name -> value, not %s", what, kindName(v))
	}
	return m
}

func keyNode(v *yaml.Node) *yaml.Node {
	if v.Kind == yaml.MappingNode && len(v.Content) > 0 {
		return v.Content[0]
	}
	return v
}

func hasKey(v *yaml.Node, key string) bool {
	for i := 0; i+1 < len(v.Content); i += 2 {
		if v.Content[i].Value == key {
			return true
		}
	}
	return false
}
