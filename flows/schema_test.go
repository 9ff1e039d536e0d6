package flows_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/souk-commerce/souk/bot/bottest"
	"github.com/souk-commerce/souk/flows"
)

// TestSchemaFile keeps flow.schema.json, which editors can point at, the
// schema Schema builds (go test ./flows -run TestSchemaFile -update).
func TestSchemaFile(t *testing.T) {
	if !bottest.Golden(t, "flow.schema.json", flows.Schema(), *update) {
		t.Error("flow.schema.json is not what Schema returns; rerun with -update")
	}
}

// TestSchemaAcceptsValidFlows checks that the schema flags nothing in any
// flow Load accepts: the examples, the starter of `souk new`, the bench's
// and the valid test flows (limits at their maximum, templated fields
// longer than their limit as written, anchors).
func TestSchemaAcceptsValidFlows(t *testing.T) {
	files, _ := filepath.Glob("testdata/valid/*.yaml")
	examples, _ := filepath.Glob("../examples/*/flow.yaml")
	files = append(append(files, examples...), "../cmd/soukbench/flow.yaml", "../bot/cli/scaffold/flow.yaml.tmpl")
	schema := compileSchema(t)
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(file, ".tmpl") { // its products file is a template too: bot/cli checks it loads
				data = bytes.ReplaceAll(data, []byte("__NAME__"), []byte("starter"))
			} else if _, diags := flows.Parse(file, data, flows.Options{}); diags.HasErrors() {
				t.Fatalf("Load rejects it:\n%v", diags)
			}
			if err := schema.Validate(yamlAsJSON(t, data)); err != nil {
				t.Errorf("the schema rejects a valid flow: %v", err)
			}
		})
	}
}

// TestSchemaOnSnippets checks, on flows written for it, what Load and
// the schema must agree on either way.
func TestSchemaOnSnippets(t *testing.T) {
	const head = "flow: t\nstart: a\nstates:\n  a:\n"
	schema := compileSchema(t)
	for _, tt := range []struct {
		name, state string
		top         string // top-level lines after the states
		valid       bool
	}{
		{name: "preview_url as strconv reads it", state: "    send: [{text: {body: hi, preview_url: 1}}, {catalog_link: {body: x, preview_url: t}}, {text: {body: y, preview_url: \"true\"}}]\n", valid: true},
		{name: "emoji in a title at the limit", state: "    send: [{buttons: {body: hi, buttons: [{id: b, title: \"🍕🍕🍕🍕🍕🍕🍕🍕🍕🍕🍕🍕🍕🍕🍕🍕🍕🍕🍕🍕\"}]}}]\n", valid: true},
		{name: "durations Go reads", state: "    send: [{text: hi}]\n", top: "session_ttl: .5h\nextra_info: {ref1: \"1\"}\n", valid: true},
		{name: "a duration with a sign and a Greek mu", state: "    send: [{text: hi}]\n", top: "session_ttl: +5000000000μs\n", valid: true},
		{name: "numbers where text goes", state: "    send: [{list: {body: 1, button: 2, sections: [{rows: [{id: 3, title: 4}]}]}}]\n    on: {3: a, 1: a}\n", valid: true},
		{name: "a saved answer", state: "    send: [{text: hi}]\n    save: _answer2\n    text: a\n", valid: true},
		{name: "a var name a template cannot read", state: "    send: [{text: hi}]\n    save: 2nd\n    text: a\n"},
		{name: "a var name too long", state: "    send: [{text: hi}]\n    save: " + strings.Repeat("v", flows.MaxVarName+1) + "\n    text: a\n"},
		{name: "save without a text route", state: "    send: [{text: hi}]\n    save: answer\n"},
		{name: "a reminder", state: "    send: [{text: hi}]\n    idle: {after: 90m, to: b}\n  b:\n    send: [{text: hi}]\n", valid: true},
		{name: "a reminder to nowhere", state: "    send: [{text: hi}]\n    idle: {after: 90m}\n"},
		{name: "a reminder after no time", state: "    send: [{text: hi}]\n    idle: {after: 0m, to: a}\n"},
		{name: "a zero duration", state: "    send: [{text: hi}]\n", top: "session_ttl: 0s\n"},
		{name: "a blank row id", state: "    send: [{list: {body: b, button: o, sections: [{rows: [{id: \" \", title: t}]}]}}]\n"},
		{name: "a blank target", state: "    send: [{text: hi}]\n    else: \"\"\n"},
		{name: "two untitled list sections", state: "    send: [{list: {body: b, button: o, sections: [{rows: [{id: x, title: X}]}, {rows: [{id: y, title: Y}]}]}}]\n"},
		{name: "a tab in a template parameter", state: "    send: [{template: {name: n, language: en, product: p, body: [\"a\\tb\"]}}]\n", top: "catalog: \"1\"\n"},
		{name: "a message of no kind", state: "    send: [{txt: hi}]\n"},
		{name: "a title one emoji too long", state: "    send: [{buttons: {body: hi, buttons: [{id: b, title: \"🍕🍕🍕🍕🍕🍕🍕🍕🍕🍕🍕🍕🍕🍕🍕🍕🍕🍕🍕🍕🍕\"}]}}]\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(head + tt.state + tt.top)
			_, diags := flows.Parse("snippet.yaml", data, flows.Options{})
			if diags.HasErrors() == tt.valid {
				t.Fatalf("Load: %v, want valid %v", diags, tt.valid)
			}
			if err := schema.Validate(yamlAsJSON(t, data)); (err == nil) != tt.valid {
				t.Errorf("schema: %v, want valid %v", err, tt.valid)
			}
		})
	}
}

// TestSchemaRejectsWhatItCan checks that the schema flags the broken
// flows whose mistake is in one field or list: unknown and missing keys,
// wrong types, and WhatsApp's limits.
func TestSchemaRejectsWhatItCan(t *testing.T) {
	schema := compileSchema(t)
	for _, name := range []string{
		"bad-duration", "bad-message", "body-too-long", "button-id-too-long", "button-title-too-long",
		"buttons-none", "buttons-too-many", "empty-field", "empty-key", "section-title-required", "template-param-format", "footer-too-long", "header-too-long", "list-button-too-long",
		"list-empty-section", "list-no-sections", "list-too-many-sections", "missing-field-flow",
		"missing-field-product", "missing-field-product-list-header", "missing-field-row-title",
		"missing-field-start", "missing-field-template-language", "missing-field-template-name",
		"row-description-too-long", "row-id-too-long", "row-title-too-long", "section-title-too-long",
		"text-too-long", "unknown-key-message", "unknown-key-message-kind",
		"unknown-key-state", "unknown-key-top", "bad-var-name", "save-without-text", "gather-without-text", "missing-field-idle", "wrong-type-preview-url", "wrong-type-send", "wrong-type-states",
	} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata/invalid", name+".yaml"))
			if err != nil {
				t.Fatal(err)
			}
			if schema.Validate(yamlAsJSON(t, data)) == nil {
				t.Error("the schema accepts it")
			}
		})
	}
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(flows.Schema()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(flows.SchemaID, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(flows.SchemaID)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// yamlAsJSON is a YAML document as an editor's YAML language server hands
// it to a JSON Schema: anchors resolved, keys as text.
func yamlAsJSON(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(stringKeys(v))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func stringKeys(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			v[k] = stringKeys(e)
		}
		return v
	case map[any]any:
		m := make(map[string]any, len(v))
		for k, e := range v {
			m[strings.TrimSpace(fmt.Sprint(k))] = stringKeys(e)
		}
		return m
	case []any:
		for i, e := range v {
			v[i] = stringKeys(e)
		}
	}
	return v
}
