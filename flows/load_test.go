package flows

import (
	"strings"
	"testing"
)

func TestLoadPizzeria(t *testing.T) {
	f, diags := Load("../examples/pizzeria/flow.yaml", Options{HasHandler: func(n string) bool { return n == "order_summary" || n == "opt_out" }})
	if len(diags) > 0 {
		t.Fatalf("pizzeria has diagnostics:\n%s", diags)
	}
	if f.Name != "pizzeria" || f.Start.State != "welcome" || f.Catalog != "1033000049" || f.ExtraInfo.Ref1 != "pizzeria" || f.Order.State != "thanks" {
		t.Errorf("top level = %q %q %q %+v, order %q", f.Name, f.Start.State, f.Catalog, f.ExtraInfo, f.Order.State)
	}
	if got := f.States["welcome"].On["pizzas"]; got.State != "pizzas" || got.Pos != (Pos{39, 15}) {
		t.Errorf("welcome.on.pizzas = %+v, want pizzas at 39:15", got)
	}
	if len(f.Events()) == 0 {
		t.Error("no compiled fsm events")
	}
}

func TestDiagnostics(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"yaml syntax", "flow: x\nstart: a\n  b: c\n", []string{"f.yaml:3:1: YAML syntax: mapping values are not allowed in this context"}},
		{"missing required", "catalog: x\n", []string{
			`f.yaml:1:1: flow: missing required field "flow"`,
			`f.yaml:1:1: flow: missing required field "start"`,
			`f.yaml:1:1: flow: missing required field "states"`}},
		{"unknown key with suggestion", "flow: x\nstart: a\nstates:\n  a:\n    sned: []\n", []string{
			`f.yaml:5:5: state a: unknown key "sned" (did you mean "send"?)`}},
		{"unknown state with suggestion", "flow: x\nstart: a\nstates:\n  a:\n    on: {go: welcom, x: a}\n  welcome: {}\n", []string{
			`f.yaml:5:14: state a.on.go: state "welcom" is not defined (did you mean "welcome"?)`,
			`f.yaml:6:3: warning: state welcome cannot be reached from start (no on, keyword, order, text, location, media, else or idle of a state reached from start leads to it; a handler's redirect is not seen)`}},
		{"undefined start", "flow: x\nstart: nope\nstates:\n  a: {}\n", []string{
			`f.yaml:2:8: start: state "nope" is not defined`}},
		{"wrong type", "flow: x\nstart: a\nstates:\n  a:\n    send: hello\n", []string{
			`f.yaml:5:11: state a.send must be a list, not "hello"`}},
		{"message missing field", "flow: x\nstart: a\nstates:\n  a:\n    send:\n      - list: {body: hi}\n", []string{
			`f.yaml:6:15: list: missing required field "button"`,
			`f.yaml:6:15: list: missing required field "sections"`}},
		{"unknown message kind", "flow: x\nstart: a\nstates:\n  a:\n    send:\n      - txt: hi\n", []string{
			`f.yaml:6:9: state a.send: unknown key "txt" (did you mean "text"?)`}},
		{"unknown template field", "flow: x\nstart: a\nstates:\n  a:\n    send:\n      - text: \"{{.Contact.Nmae}}\"\n", []string{
			`f.yaml:6:26: text: can't evaluate field Nmae in .Contact (did you mean .Name?)`}},
		{"template error in a block", "flow: x\nstart: a\nstates:\n  a:\n    send:\n      - text: |\n          Hello\n          there {{.Contact.Name}\n", []string{
			`f.yaml:8:11: text: bad character U+007D '}'`}},
		{"unknown field in a block", "flow: x\nstart: a\nstates:\n  a:\n    send:\n      - text: |\n          Hi\n            {{.Phone}} {{.Contact.Nme}}\n", []string{
			`f.yaml:8:34: text: can't evaluate field Nme in .Contact (did you mean .Name?)`}},
		{"unknown field in the data", "flow: x\nstart: a\nstates:\n  a:\n    send:\n      - text: Hi {{.Foo}}\n", []string{
			`f.yaml:6:20: text: can't evaluate field Foo in the template data (fields: .Contact.Name, .Phone, .Vars, .Order, .Location, .Media)`}},
		{"unknown field after wide characters", "flow: x\nstart: a\nstates:\n  a:\n    send:\n      - text: \"₹₹₹ {{.Nope}}\"\n", []string{
			`f.yaml:6:22: text: can't evaluate field Nope in the template data (fields: .Contact.Name, .Phone, .Vars, .Order, .Location, .Media)`}},
		{"unknown field in a string over two lines", "flow: x\nstart: a\nstates:\n  a:\n    send:\n      - text: Hi there\n          {{.Nope}}\n", []string{
			`f.yaml:6:15: text: can't evaluate field Nope in the template data (fields: .Contact.Name, .Phone, .Vars, .Order, .Location, .Media)`}},
		{"unknown field in a block after a blank line", "flow: x\nstart: a\nstates:\n  a:\n    send:\n      - text: |\n\n          Hi {{.Nope}}\n", []string{
			`f.yaml:8:16: text: can't evaluate field Nope in the template data (fields: .Contact.Name, .Phone, .Vars, .Order, .Location, .Media)`}},
		{"unclosed action at the end of a block", "flow: x\nstart: a\nstates:\n  a:\n    send:\n      - text: |\n          Hi\n          {{.Nope\n", []string{
			`f.yaml:8:18: text: unclosed action started at text:2`}},
		{"unreachable is a warning", "flow: x\nstart: a\nstates:\n  a: {send: [text: a]}\n  b: {send: [text: b]}\n", []string{
			`f.yaml:5:3: warning: state b cannot be reached from start (no on, keyword, order, text, location, media, else or idle of a state reached from start leads to it; a handler's redirect is not seen)`}},
		{"empty start", "flow: x\nstart: \"\"\nstates:\n  a: {}\n", []string{
			`f.yaml:2:8: start: the state name is empty`}},
		{"start is a bare tag", "flow: x\nstart: !x\nstates:\n  a: {}\n", []string{
			`f.yaml:2:8: start: the state name is empty`}},
		{"empty keyword target", "flow: x\nstart: a\nkeywords: {menu: ''}\nstates:\n  a: {}\n", []string{
			`f.yaml:3:18: keywords.menu: the state name is empty`}},
		{"null keyword target, reported once", "flow: x\nstart: a\nkeywords: {help: ~}\nstates:\n  a: {}\n", []string{
			`f.yaml:3:18: keywords.help must be a string, not empty`}},
		{"empty on target", "flow: x\nstart: a\nstates:\n  a:\n    on: {go: ''}\n", []string{
			`f.yaml:5:14: state a.on.go: the state name is empty`}},
		{"empty else", "flow: x\nstart: a\nstates:\n  a:\n    else: \"\"\n", []string{
			`f.yaml:5:11: state a.else: the state name is empty`}},
		{"empty order", "flow: x\nstart: a\nstates:\n  a:\n    order: \"\"\n", []string{
			`f.yaml:5:12: state a.order: the state name is empty`}},
		{"empty text", "flow: x\nstart: a\nstates:\n  a:\n    text: ''\n", []string{
			`f.yaml:5:11: state a.text: the state name is empty`}},
		{"trailing document start", "flow: x\nstart: a\nstates:\n  a: {send: [text: a]}\n---\n# nothing\n", nil},
		{"a state that sends nothing", "flow: x\nstart: a\nstates:\n  a: {on: {x: a}}\n", []string{
			`f.yaml:4:3: warning: state a sends nothing and runs no handler: a shopper entering it gets no answer (is its send: indented under it?)`}},
		{"second document", "flow: x\nstart: a\nstates:\n  a: {}\n---\nbogus: 1\n", []string{
			`f.yaml:6:1: a flow file holds one YAML document; this second one (after ---) would be ignored`}},
		{"second document not YAML", "flow: x\nstart: a\nstates:\n  a: {}\n---\nb: [\n", []string{
			`f.yaml:6:1: YAML syntax: did not find expected node content`}},
		{"null flow name", "flow: ~\nstart: a\nstates:\n  a: {}\n", []string{
			`f.yaml:1:7: flow must be a string, not empty`}},
		{"blank flow name", "flow: ''\nstart: a\nstates:\n  a: {}\n", []string{
			`f.yaml:1:7: flow: the flow's name is empty`}},
		{"inline test names a missing state", "flow: x\nstart: a\nstates:\n  a: {send: [text: a]}\ntests:\n  - name: t\n    steps:\n      - {webhook: no-such-fixture.json, state: ghost}\n", []string{
			`f.yaml:8:48: test "t": flow x has no state "ghost"`}},
		{"unregistered handler", "flow: x\nstart: a\nstates:\n  a: {run: nope}\n", []string{
			`f.yaml:4:12: state a.run: handler "nope" is not registered in this binary`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := Parse("f.yaml", []byte(tt.src), Options{HasHandler: func(string) bool { return false }})
			got := strings.Split(diags.String(), "\n")
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
