package whatsapp

import (
	"bytes"
	"encoding/json"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
)

// The JSON paths of each kind's request body, written by hand from the
// Kaleyra seeds (with the SPEC's corrections) and checked against the
// golden files field by field. "a.b" is a key, "a[]" any element of an
// array. A path ending in =<JSON> pins the value at that path (every value,
// for a path through an array).
var (
	extraInfoPaths = []string{
		"extra_info",
		`extra_info.ref="customer1"`,
		`extra_info.ref1="marketing"`,
		`extra_info.ref2="dictionary"`,
		`extra_info.wa_source="api"`,
	}
	// messageObjectPaths are the fields of every Meta message object, under
	// prefix "messaging_object." for session messages and "" for templates.
	messageObjectPaths = []string{
		`messaging_product="whatsapp"`,
		`recipient_type="individual"`,
		"to",
		"type",
	}
)

var keyTrees = map[string][]string{
	// No seed: Meta's text object, body and (only when true) preview_url.
	"text": session(
		`type="text"`,
		"text",
		"text.body",
	),
	// kaleyra-interactive-list-message.txt, wrapped in messaging_object.
	"list": session(
		`type="interactive"`,
		"interactive",
		`interactive.type="list"`,
		"interactive.header",
		`interactive.header.type="text"`,
		`interactive.header.text="Shipping Options"`,
		"interactive.body",
		`interactive.body.text="Choose your shipping option"`,
		"interactive.footer",
		"interactive.footer.text",
		"interactive.action",
		`interactive.action.button="Shipping Options"`,
		"interactive.action.sections",
		"interactive.action.sections[]",
		"interactive.action.sections[].title",
		"interactive.action.sections[].rows",
		"interactive.action.sections[].rows[]",
		"interactive.action.sections[].rows[].id",
		"interactive.action.sections[].rows[].title",
		"interactive.action.sections[].rows[].description",
	),
	// No seed: SPEC's reply buttons (Meta's interactive.type button).
	"buttons": session(
		`type="interactive"`,
		"interactive",
		`interactive.type="button"`,
		"interactive.header",
		`interactive.header.type="text"`,
		"interactive.header.text",
		"interactive.body",
		"interactive.body.text",
		"interactive.footer",
		"interactive.footer.text",
		"interactive.action",
		"interactive.action.buttons",
		"interactive.action.buttons[]",
		`interactive.action.buttons[].type="reply"`,
		"interactive.action.buttons[].reply",
		"interactive.action.buttons[].reply.id",
		"interactive.action.buttons[].reply.title",
	),
	// kaleyra-single-product-message.txt: no header.
	"product": session(
		`type="interactive"`,
		"interactive",
		`interactive.type="product"`,
		"interactive.body",
		`interactive.body.text="Your order has been shipped."`,
		"interactive.footer",
		`interactive.footer.text="Shipment from Kaleyra."`,
		"interactive.action",
		`interactive.action.catalog_id="103xxxx49"`,
		`interactive.action.product_retailer_id="17xxxxxxx26"`,
	),
	// kaleyra-multi-product-message.txt, with type product_list and a
	// lowercase text header.
	"product_list": session(
		`type="interactive"`,
		"interactive",
		`interactive.type="product_list"`,
		"interactive.header",
		`interactive.header.type="text"`,
		`interactive.header.text="The products you want to order."`,
		"interactive.body",
		"interactive.body.text",
		"interactive.footer",
		`interactive.footer.text="Shipment from Kaleyra."`,
		"interactive.action",
		`interactive.action.catalog_id="103xxxx49"`,
		"interactive.action.sections",
		"interactive.action.sections[]",
		"interactive.action.sections[].title",
		"interactive.action.sections[].product_items",
		"interactive.action.sections[].product_items[]",
		"interactive.action.sections[].product_items[].product_retailer_id",
	),
	// kaleyra-catalogue-link-message.txt: preview_url is a JSON boolean.
	"catalog_link": session(
		`type="text"`,
		"text",
		"text.preview_url=true",
		`text.body="As requested, here is the link to our latest product: https://wa.me/c/911161197855"`,
	),
	// kaleyra-single-product-template-message.txt: not wrapped.
	"template": append(append(slices.Clone(messageObjectPaths),
		`type="template"`,
		"template",
		`template.name="abandoned_cart_offer"`,
		"template.language",
		`template.language.policy="deterministic"`,
		`template.language.code="en_US"`,
		"template.components",
		"template.components[]",
		"template.components[].type",
		"template.components[].parameters",
		"template.components[].parameters[]",
		"template.components[].parameters[].type",
		// header: {type: product, product: {...}}
		"template.components[].parameters[].product",
		`template.components[].parameters[].product.product_retailer_id="nqrxxx03ez"`,
		`template.components[].parameters[].product.catalog_id="194XXXXXXXX3835"`,
		// body: {type: text, text}
		"template.components[].parameters[].text",
	), extraInfoPaths...),
}

// session returns the paths of a session message: the common fields and
// the given ones under messaging_object, and extra_info.
func session(paths ...string) []string {
	out := []string{"messaging_object"}
	for _, p := range append(slices.Clone(messageObjectPaths), paths...) {
		out = append(out, "messaging_object."+p)
	}
	return append(out, extraInfoPaths...)
}

func TestGoldenKeyTrees(t *testing.T) {
	for _, tt := range goldenCases {
		t.Run(tt.name, func(t *testing.T) {
			tree, ok := keyTrees[tt.name]
			if !ok {
				t.Fatalf("no key tree for %s", tt.name)
			}
			b, err := os.ReadFile(goldenPath(tt.name))
			if err != nil {
				t.Fatal(err)
			}
			got := jsonPaths(t, b)
			want := map[string]bool{}
			for _, p := range tree {
				path, pin, pinned := strings.Cut(p, "=")
				want[path] = true
				if pinned {
					checkPin(t, path, pin, got[path])
				}
			}
			for _, p := range sortedKeys(got) {
				if !want[p] {
					t.Errorf("%s.json has field %s, which the seed does not", tt.name, p)
				}
			}
			for _, p := range sortedKeys(want) {
				if _, ok := got[p]; !ok {
					t.Errorf("%s.json lacks field %s", tt.name, p)
				}
			}
		})
	}
}

// checkPin fails unless every value at path is the JSON pin.
func checkPin(t *testing.T, path, pin string, values []string) {
	t.Helper()
	if len(values) == 0 {
		t.Errorf("%s: no value, want %s", path, pin)
	}
	for _, v := range values {
		if v != pin {
			t.Errorf("%s = %s, want %s", path, v, pin)
		}
	}
}

// jsonPaths maps every path in the JSON document b to the JSON encodings
// of its scalar values (none for objects and arrays).
func jsonPaths(t *testing.T, b []byte) map[string][]string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	walk("", doc, out)
	return out
}

func walk(path string, v any, out map[string][]string) {
	switch v := v.(type) {
	case map[string]any:
		if path != "" {
			out[path] = append(out[path], []string{}...)
		}
		for k, child := range v {
			walk(strings.TrimPrefix(path+"."+k, "."), child, out)
		}
	case []any:
		out[path] = append(out[path], []string{}...)
		for _, child := range v {
			walk(path+"[]", child, out)
		}
	default:
		enc, _ := json.Marshal(v)
		out[path] = append(out[path], string(enc))
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
