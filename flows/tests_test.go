package flows

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

func TestLoadTests(t *testing.T) {
	tests := []struct {
		name  string
		yaml  string
		codes []string
		check func(t *testing.T, ts []Test)
	}{
		{name: "every input and check", yaml: `
tests:
  - name: all
    shopper: {phone: "919876543210", name: Asha}
    start: {state: pizzas, vars: {n: 2}}
    steps:
      - text: hi
        expect:
          - list: {header: H, body_contains: Asha, button: Menu, rows: [a, b]}
          - text
        state: welcome
        vars: {n: 3}
      - id: wamid.1
        tap: pizzas
        nothing: true
      - cart: [{id: pz, qty: 2, price: 9.5, currency: EUR}, {id: dr}]
        expect: [{template: {template: t, params: [x], products: [p]}}]
      - webhook: fixtures/x.json
      - wait: 25h
`, check: func(t *testing.T, ts []Test) {
			tt := ts[0]
			if tt.Phone != "919876543210" || tt.Shopper != "Asha" || tt.StartState.State != "pizzas" || tt.StartVars["n"] != 2 || len(tt.Steps) != 5 {
				t.Fatalf("test = %+v", tt)
			}
			s := tt.Steps
			want := Expect{Pos: s[0].Expect[0].Pos, Kind: "list", Header: "H", BodyContains: "Asha", Button: "Menu", Rows: []string{"a", "b"}}
			if !reflect.DeepEqual(s[0].Expect[0], want) || s[0].Expect[1].Kind != "text" || !s[0].Checked || s[0].State.State != "welcome" {
				t.Errorf("step 1 = %+v", s[0])
			}
			if s[1].Input != "tap" || s[1].ID != "wamid.1" || !s[1].Checked || len(s[1].Expect) != 0 {
				t.Errorf("step 2 = %+v", s[1])
			}
			if want := []CartItem{{"pz", 2, 9.5, "EUR"}, {"dr", 1, 0, ""}}; !reflect.DeepEqual(s[2].Cart, want) || s[2].Expect[0].Params[0] != "x" {
				t.Errorf("step 3 = %+v", s[2])
			}
			if s[3].Value != "fixtures/x.json" || s[3].Checked || s[4].Wait != 25*time.Hour {
				t.Errorf("steps 4-5 = %+v %+v", s[3], s[4])
			}
		}},
		{name: "missing name and steps", yaml: "tests:\n  - shopper: {name: A}\n", codes: []string{"missing-field", "missing-field"}},
		{name: "unknown keys", yaml: "tests:\n  - name: x\n    stepz: []\n", codes: []string{"missing-field", "unknown-key"}},
		{name: "no input", yaml: "tests:\n  - name: x\n    steps:\n      - state: a\n", codes: []string{"test-no-input"}},
		{name: "two inputs", yaml: "tests:\n  - name: x\n    steps:\n      - {text: a, tap: b}\n", codes: []string{"test-two-inputs"}},
		{name: "bad wait", yaml: "tests:\n  - name: x\n    steps:\n      - wait: soon\n", codes: []string{"bad-duration"}},
		{name: "unknown kind", yaml: "tests:\n  - name: x\n    steps:\n      - {text: a, expect: [lisst]}\n", codes: []string{"unknown-kind"}},
		{name: "field of another kind", yaml: "tests:\n  - name: x\n    steps:\n      - {text: a, expect: [{text: {rows: [a]}}]}\n", codes: []string{"unknown-key"}},
		{name: "nothing and expect", yaml: "tests:\n  - name: x\n    steps:\n      - {text: a, nothing: true, expect: [text]}\n", codes: []string{"test-nothing-and-expect"}},
		{name: "bad cart", yaml: "tests:\n  - name: x\n    steps:\n      - cart: [{qty: 1.5}]\n", codes: []string{"missing-field", "wrong-type"}},
		{name: "duplicate names", yaml: "tests:\n  - {name: x, steps: [{text: a}]}\n  - {name: x, steps: [{text: a}]}\n", codes: []string{"duplicate-test"}},
		{name: "not a list", yaml: "tests: {name: x}\n", codes: []string{"wrong-type"}},
		{name: "yaml syntax", yaml: "tests: [\n", codes: []string{"yaml-syntax"}},
		{name: "no steps", yaml: "tests:\n  - {name: x, steps: []}\n", codes: []string{"test-no-steps"}},
		{name: "bad phone", yaml: "tests:\n  - {name: x, shopper: {phone: \"123\"}, steps: [{text: a}]}\n", codes: []string{"bad-phone"}},
		{name: "phone spelled with spaces", yaml: "tests:\n  - {name: x, shopper: {phone: \"+91 98765 43210\"}, steps: [{text: a}]}\n"},
		{name: "second document", yaml: "tests:\n  - {name: x, steps: [{text: a}]}\n---\ntests: []\n", codes: []string{"extra-document"}},
		{name: "trailing document start", yaml: "tests:\n  - {name: x, steps: [{text: a}]}\n---\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "flow.test.yaml")
			if err := os.WriteFile(path, []byte(tt.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			ts, diags := LoadTests(path)
			var codes []string
			for _, d := range diags {
				codes = append(codes, d.Code)
				if d.Pos.Line == 0 {
					t.Errorf("diagnostic without a position: %v", d)
				}
			}
			if !reflect.DeepEqual(codes, tt.codes) {
				t.Fatalf("codes = %v, want %v\n%s", codes, tt.codes, diags)
			}
			if tt.check != nil {
				tt.check(t, ts)
			}
		})
	}
}

func TestTestFileNames(t *testing.T) {
	tests := []struct{ flow, test string }{
		{"flow.yaml", "flow.test.yaml"},
		{"examples/shop/main.yml", "examples/shop/main.test.yml"},
	}
	for _, tt := range tests {
		t.Run(tt.flow, func(t *testing.T) {
			if got := TestFile(tt.flow); got != tt.test {
				t.Errorf("TestFile(%q) = %q, want %q", tt.flow, got, tt.test)
			}
			if got, ok := FlowOfTestFile(tt.test); !ok || got != tt.flow {
				t.Errorf("FlowOfTestFile(%q) = %q, %v", tt.test, got, ok)
			}
			if _, ok := FlowOfTestFile(tt.flow); ok {
				t.Errorf("FlowOfTestFile(%q) says it is a test file", tt.flow)
			}
		})
	}
}
