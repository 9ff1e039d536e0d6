package flows

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const catalogueFlow = `flow: shop
start: a
products: products.csv
states:
  a:
    send:
      - product: {product: tea}
      - product_list:
          header: H
          body: B
          sections:
            - {title: S, products: [tea, cakes]}
      - template: {name: t, language: en, product: "{{.Vars.p}}"}
      - template: {name: t, language: en, product: muffin}
catalog: "1"
`

func TestProducts(t *testing.T) {
	tests := []struct {
		name, flow, products string
		want                 []string
	}{
		{"every id known", strings.ReplaceAll(strings.ReplaceAll(catalogueFlow, "cakes", "cake"), "muffin", "tea"),
			"id,name,price,currency\ntea,Tea,2,EUR\ncake,Cake,3,EUR\n", nil},
		{"unknown ids at their position", catalogueFlow, "id,name,price,currency\ntea,Tea,2,EUR\ncake,Cake,3,EUR\n", []string{
			`DIR/flow.yaml:12:42: state a.product_list: product "cakes" is not in products.csv (did you mean "cake"?)`,
			`DIR/flow.yaml:14:52: state a.template: product "muffin" is not in products.csv`,
		}},
		{"catalogue errors at their CSV position", catalogueFlow, "id,name,price,currency\ntea,Tea,two,EUR\n", []string{
			`DIR/products.csv:2:9: price must be a non-negative number like 9.50, not "two"`,
		}},
		{"missing catalogue at the products key", catalogueFlow, "", []string{
			`DIR/flow.yaml:3:11: cannot read products: open DIR/products.csv: no such file or directory`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, filepath.Join(dir, "flow.yaml"), tt.flow)
			if tt.products != "" {
				write(t, filepath.Join(dir, "products.csv"), tt.products)
			}
			f, diags := Load(filepath.Join(dir, "flow.yaml"), Options{})
			got := strings.ReplaceAll(diags.String(), dir, "DIR")
			if got != strings.Join(tt.want, "\n") {
				t.Fatalf("diagnostics:\n%s\nwant:\n%s", got, strings.Join(tt.want, "\n"))
			}
			if len(tt.want) == 0 && f.Products.Len() != 2 {
				t.Fatalf("products = %d", f.Products.Len())
			}
		})
	}
}

func TestOrderFieldsInTemplates(t *testing.T) {
	flow := "flow: x\nstart: a\nstates:\n  a:\n    send:\n      - text: \"{{range .Order.Items}}{{.Name}} {{.LineTotal}}{{end}} {{.Order.Total}} {{.Order.Currency}} {{.Order.Count}} {{.Order.Nope}}\"\n"
	_, diags := Parse("f.yaml", []byte(flow), Options{})
	if len(diags) != 1 || diags[0].Code != "unknown-field" || !strings.Contains(diags[0].Message, "Nope") {
		t.Fatalf("diags = %v", diags)
	}
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
