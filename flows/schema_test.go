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

// TestSchemaRejectsWhatItCan checks that the schema flags the broken
// flows whose mistake is in one field or list: unknown and missing keys,
// wrong types, and WhatsApp's limits.
func TestSchemaRejectsWhatItCan(t *testing.T) {
	schema := compileSchema(t)
	for _, name := range []string{
		"bad-duration", "bad-message", "body-too-long", "button-id-too-long", "button-title-too-long",
		"buttons-none", "buttons-too-many", "footer-too-long", "header-too-long", "list-button-too-long",
		"list-empty-section", "list-no-sections", "list-too-many-sections", "missing-field-flow",
		"missing-field-product", "missing-field-product-list-header", "missing-field-row-title",
		"missing-field-start", "missing-field-template-language", "missing-field-template-name",
		"row-description-too-long", "row-id-too-long", "row-title-too-long", "section-title-too-long",
		"text-too-long", "unknown-key-message", "unknown-key-message-kind",
		"unknown-key-state", "unknown-key-top", "wrong-type-preview-url", "wrong-type-send", "wrong-type-states",
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
