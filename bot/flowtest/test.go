package flowtest

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/souk-commerce/souk/bot/bottest"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
)

// failure is why a test failed: where, and what differed.
type failure struct {
	where    string
	problems []string
	diff     string
}

// runOne runs one test, prints its line, and reports whether it passed.
func runOne(f *flows.Flow, t flows.Test, opts Options) bool {
	fail := play(f, t, opts)
	if fail == nil {
		fmt.Fprintf(opts.Out, "ok   %s\n", t.Name)
		return true
	}
	fmt.Fprintf(opts.Out, "FAIL %s\n    %s\n", t.Name, fail.where)
	for _, p := range fail.problems {
		fmt.Fprintf(opts.Out, "      %s\n", p)
	}
	if fail.diff != "" {
		fmt.Fprintf(opts.Out, "      diff (- want, + sent):\n")
		for _, l := range strings.Split(strings.TrimSuffix(fail.diff, "\n"), "\n") {
			fmt.Fprintf(opts.Out, "        %s\n", l)
		}
	}
	return false
}

// play runs the steps of t on a fresh Bot, stopping at the first failing
// step.
func play(f *flows.Flow, t flows.Test, opts Options) *failure {
	b, err := bottest.New(f, bottest.Config{Handlers: opts.Handlers})
	if err != nil {
		return &failure{where: at(t.File, t.Pos), problems: []string{err.Error()}}
	}
	defer b.Close()
	sh := b.Shopper(t.Phone, t.Shopper)
	if t.StartState.State != "" || t.StartVars != nil {
		state := t.StartState.State
		if state == "" {
			state = f.Start.State
		}
		if err := b.Seed(sh.Phone, sh.Name, state, t.StartVars); err != nil {
			return &failure{where: at(t.File, t.Pos), problems: []string{"seeding the conversation: " + err.Error()}}
		}
	}
	for i, s := range t.Steps {
		r, phone, err := step(b, sh, t, s)
		if err != nil {
			return &failure{where: where(t, i, s), problems: []string{err.Error()}}
		}
		if fail := check(b, phone, s, r); fail != nil {
			fail.where = where(t, i, s)
			return fail
		}
	}
	return nil
}

// step plays one input and returns what it sent and whose conversation it
// moved.
func step(b *bottest.Bot, sh *bottest.Shopper, t flows.Test, s flows.Step) (bottest.Reply, string, error) {
	if s.ID != "" {
		sh.ID(s.ID)
	}
	switch s.Input {
	case "text":
		return sh.Text(s.Value), sh.Phone, nil
	case "tap":
		return sh.Tap(s.Value), sh.Phone, nil
	case "cart":
		return sh.Cart(items(s.Cart)...), sh.Phone, nil
	case "location":
		return sh.Location(s.Location), sh.Phone, nil
	case "media":
		return sh.Media(s.Media), sh.Phone, nil
	case "wait":
		return sh.Wait(s.Wait), sh.Phone, nil
	}
	body, err := os.ReadFile(filepath.Join(filepath.Dir(t.File), s.Value))
	if err != nil {
		return bottest.Reply{}, "", fmt.Errorf("reading webhook fixture: %w", err)
	}
	r, err := b.Webhook(body)
	if err != nil {
		return r, "", fmt.Errorf("webhook fixture %s: %w", s.Value, err)
	}
	phone := r.Result.Phone
	if phone == "" {
		phone = sh.Phone
	}
	return r, phone, nil
}

func items(cart []flows.CartItem) []whatsapp.OrderItem {
	out := make([]whatsapp.OrderItem, len(cart))
	for i, c := range cart {
		out[i] = whatsapp.OrderItem{ID: c.ID, Quantity: c.Qty, Price: c.Price, Currency: c.Currency}
	}
	return out
}

// check compares a step's outcome with its expectations.
func check(b *bottest.Bot, phone string, s flows.Step, r bottest.Reply) *failure {
	var fail failure
	if r.Err != nil {
		fail.problems = append(fail.problems, "the engine failed: "+r.Err.Error())
	}
	for i, sent := range r.Sent {
		if sent.Err != nil {
			fail.problems = append(fail.problems, fmt.Sprintf("message %d (%s) was refused: %v", i+1, sent.View.Kind, sent.Err))
		}
	}
	if s.Checked {
		wants := wantsOf(s.Expect)
		if probs := bottest.Compare(r.Views(), wants); len(probs) > 0 {
			fail.problems = append(fail.problems, probs...)
			fail.diff = bottest.Diff(r.Views(), wants)
		}
	}
	conv := b.Conversation(phone)
	if s.State.State != "" && conv.State != s.State.State {
		fail.problems = append(fail.problems, fmt.Sprintf("state: want %q, now %q", s.State.State, conv.State))
	}
	fail.problems = append(fail.problems, checkVars(s.Vars, conv.Vars)...)
	if len(fail.problems) == 0 {
		return nil
	}
	if note := r.HandlerNote(); note != "" {
		fail.problems = append(fail.problems, note)
	}
	return &fail
}

// checkVars compares the wanted vars, as JSON values, with the stored ones.
func checkVars(want, got map[string]any) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(want)) {
		w, g := jsonValue(want[k]), jsonValue(got[k])
		if !reflect.DeepEqual(w, g) {
			out = append(out, fmt.Sprintf("vars.%s: want %s, now %s", k, jsonText(w), jsonText(g)))
		}
	}
	return out
}

func jsonValue(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

func jsonText(v any) string {
	if v == nil {
		return "unset"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func wantsOf(es []flows.Expect) []bottest.Want {
	out := make([]bottest.Want, len(es))
	for i, e := range es {
		out[i] = bottest.Want{Kind: e.Kind, Header: e.Header, Body: e.Body, BodyContains: e.BodyContains, Footer: e.Footer,
			Button: e.Button, Rows: e.Rows, Buttons: e.Buttons, Products: e.Products, Catalog: e.Catalog,
			Template: e.Template, Language: e.Language, Params: e.Params, Link: e.Link}
	}
	return out
}

func at(file string, p flows.Pos) string { return fmt.Sprintf("%s:%d:%d", file, p.Line, p.Col) }

// where names a step: FILE:LINE:COL: step N (input: value).
func where(t flows.Test, i int, s flows.Step) string {
	v := s.Value
	switch s.Input {
	case "text":
		v = fmt.Sprintf("%q", s.Value)
	case "cart":
		v = fmt.Sprintf("%d item(s)", len(s.Cart))
	case "location":
		v = fmt.Sprintf("%g, %g", s.Location.Latitude, s.Location.Longitude)
	case "media":
		v = s.Media.String()
	}
	return fmt.Sprintf("%s: step %d (%s: %s)", at(t.File, s.Pos), i+1, s.Input, v)
}
