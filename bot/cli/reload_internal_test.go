package cli

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/simulator"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/store/storetest"
)

type nopDispatcher struct{}

func (nopDispatcher) Dispatch(context.Context, []whatsapp.Outbound) error { return nil }

// reloadSetup serves a one-state flow "one" from a file and returns a
// reloader of it, a function that rewrites the file, and the engine and
// log the reloader works on.
func reloadSetup(t *testing.T) (r *reloader, write func(string), eng *bot.Engine, logs *bytes.Buffer) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "flow.yaml")
	write = func(s string) {
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("flow: one\nstart: a\nstates:\n  a:\n    send: [{text: one}]\n")
	f, diags := flows.Load(path, flows.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	eng, err := bot.New(bot.Config{Flow: f, Store: storetest.Miniredis(t), Dispatcher: nopDispatcher{}})
	if err != nil {
		t.Fatal(err)
	}
	logs = &bytes.Buffer{}
	return newReloader(path, flows.Options{}, eng, slog.New(slog.NewTextHandler(logs, nil))), write, eng, logs
}

// TestReloaderSteps checks, look by look, when a changed file is loaded.
func TestReloaderSteps(t *testing.T) {
	r, write, eng, logs := reloadSetup(t)

	steps := []struct {
		name    string
		write   string // new content, "" to leave the file alone
		remove  bool
		changed bool // changed() reports a change to load
		reload  bool // reload() succeeds
		flow    string
	}{
		{name: "unchanged file", changed: false, flow: "one"},
		{name: "new content is seen once", write: "flow: two\nstart: b\nstates:\n  b:\n    send: [{text: two}]\n", changed: false, flow: "one"},
		{name: "and loaded when it stays", changed: true, reload: true, flow: "two"},
		{name: "then nothing more", changed: false, flow: "two"},
		{name: "broken content is seen once", write: "flow: three\nstart: nowhere\nstates: {}\n", changed: false, flow: "two"},
		{name: "and rejected when it stays", changed: true, reload: false, flow: "two"},
		{name: "a rejected file is not retried", changed: false, flow: "two"},
		{name: "a vanished file keeps the flow", remove: true, changed: false, flow: "two"},
	}
	for _, s := range steps {
		if s.write != "" {
			write(s.write)
		}
		if s.remove {
			os.Remove(r.path)
		}
		changed := r.changed()
		if changed != s.changed {
			t.Fatalf("%s: changed() = %v, want %v", s.name, changed, s.changed)
		}
		if changed {
			if ok := r.reload("test"); ok != s.reload {
				t.Fatalf("%s: reload() = %v, want %v", s.name, ok, s.reload)
			}
		}
		if got := eng.Flow().Name; got != s.flow {
			t.Fatalf("%s: serving flow %q, want %q", s.name, got, s.flow)
		}
	}
	for _, want := range []string{"flow reload rejected", `state \"nowhere\" is not defined`, "cannot read the flow file"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
}

// TestReloadWarnsAsStartDoes checks that a reloaded flow gets the warnings
// serve logs at start: a template message with a real sender and no
// KALEYRA_WABA_ID cannot be sent.
func TestReloadWarnsAsStartDoes(t *testing.T) {
	r, write, _, logs := reloadSetup(t)
	r.kaleyra = kaleyra.Config{APIKey: "k", Number: "15550100100"}
	write("flow: one\nstart: a\nstates:\n  a:\n    send:\n      - template: {name: promo, language: en_US, product: p1, catalog: c1}\n")
	if !r.reload("test") {
		t.Fatalf("reload rejected:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "template message cannot be sent without KALEYRA_WABA_ID") {
		t.Fatalf("no warning after the reload:\n%s", logs.String())
	}
}

// bakeryFlow is a flow that names products.csv beside it.
const bakeryFlow = "flow: bakery\nproducts: products.csv\ncatalog: \"1\"\nstart: a\nstates:\n  a:\n    send: [{product: {product: br-rye, body: Fresh}}]\n"

// productsWriter returns a function that writes products.csv beside r's
// flow file.
func productsWriter(t *testing.T, r *reloader) func(string) {
	products := filepath.Join(filepath.Dir(r.path), "products.csv")
	return func(s string) {
		t.Helper()
		if err := os.WriteFile(products, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestReloaderWatchesProducts checks that a change to the products file
// alone is loaded as a change to the flow is, and that a broken one is
// rejected with the running flow kept.
func TestReloaderWatchesProducts(t *testing.T) {
	r, write, eng, logs := reloadSetup(t)
	writeProducts := productsWriter(t, r)
	writeProducts("id,name,price,currency\nbr-rye,Dark rye,4.80,EUR\n")
	write(bakeryFlow)
	load := func(what string) {
		t.Helper()
		if r.changed() || !r.changed() || !r.reload("test") {
			t.Fatalf("%s: not loaded after two looks:\n%s", what, logs)
		}
	}
	price := func() float64 {
		p, _ := eng.Flow().Products.Lookup("br-rye")
		return p.Price
	}
	load("the flow with its products")
	writeProducts("id,name,price,currency\nbr-rye,Dark rye,5.20,EUR\n")
	load("a new price")
	if got := price(); got != 5.20 {
		t.Fatalf("price after the products file changed = %v, want 5.20", got)
	}
	writeProducts("id,name,price,currency\nbr-rye,Dark rye,five,EUR\n")
	if r.changed() || !r.changed() || r.reload("test") {
		t.Fatalf("a broken products file was not rejected:\n%s", logs)
	}
	if got := price(); got != 5.20 {
		t.Fatalf("price after a broken products file = %v, want 5.20 kept", got)
	}
}

// TestReloaderProductsNamedAfterAReject checks that a products file the
// flow first names broken is watched from then on: fixing it loads the
// flow, though the running flow never read it.
func TestReloaderProductsNamedAfterAReject(t *testing.T) {
	r, write, eng, logs := reloadSetup(t)
	writeProducts := productsWriter(t, r)
	writeProducts("id,name,price,currency\nbr-rye,Dark rye,five,EUR\n")
	write(bakeryFlow)
	if r.changed() || !r.changed() || r.reload("test") {
		t.Fatalf("a flow naming a broken products file was not rejected:\n%s", logs)
	}
	writeProducts("id,name,price,currency\nbr-rye,Dark rye,4.80,EUR\n")
	if r.changed() || !r.changed() || !r.reload("test") || eng.Flow().Name != "bakery" {
		t.Fatalf("the fixed products file was not loaded:\n%s", logs)
	}
	if r.changed() || r.changed() {
		t.Fatalf("the same files were taken for a change again:\n%s", logs)
	}
}

// TestReloaderTellsStatus checks what the web simulator hears: a rejected
// change with its errors (not its warnings), a file that cannot be read,
// the rejection again when the file is back as it was, nothing early when
// it is back with new content, and a reload that clears it.
func TestReloaderTellsStatus(t *testing.T) {
	r, write, _, logs := reloadSetup(t)
	var heard []simulator.FlowStatus
	r.notify = func(st simulator.FlowStatus) { heard = append(heard, st) }
	look := func(what string, want int) simulator.FlowStatus {
		t.Helper()
		if r.changed() {
			r.reload("test")
		}
		if len(heard) != want {
			t.Fatalf("%s: heard %d statuses, want %d: %+v\n%s", what, len(heard), want, heard, logs)
		}
		if want == 0 {
			return simulator.FlowStatus{}
		}
		return heard[want-1]
	}
	const broken = "flow: two\nstart: b\nstates:\n  b:\n    send: [{txt: two}]\n  c:\n    send: [{text: unreachable}]\n"
	write(broken)
	look("a change seen once", 0)
	st := look("the change seen again", 1)
	if st.Name != "one" || st.Rejected == nil || st.Rejected.File != r.path ||
		!slices.Equal(st.Rejected.Problems, []string{r.path + `:5:13: state b.send: unknown key "txt" (did you mean "text"?)`}) {
		t.Fatalf("rejected: heard %+v, want the error alone, not the warning", st)
	}
	rejection := st
	away := r.path + ".away"
	if err := os.Rename(r.path, away); err != nil {
		t.Fatal(err)
	}
	st = look("the file gone", 2)
	if st.Rejected == nil || len(st.Rejected.Problems) != 1 || !strings.HasPrefix(st.Rejected.Problems[0], "cannot read the flow file: ") {
		t.Fatalf("unreadable: heard %+v", st)
	}
	look("still gone", 2)
	if err := os.Rename(away, r.path); err != nil {
		t.Fatal(err)
	}
	if st = look("the file back as it was", 3); !reflect.DeepEqual(st, rejection) {
		t.Fatalf("back: heard %+v, want the rejection again %+v", st, rejection)
	}
	os.Remove(r.path)
	look("gone again", 4)
	write("flow: two\nstart: b\nstates:\n  b:\n    send: [{text: two}]\n")
	look("back with a fix, seen once: its reload will tell", 4)
	if st = look("the fix seen again", 5); st.Name != "two" || st.Rejected != nil || st.Reloaded.IsZero() {
		t.Fatalf("fixed: heard %+v, want flow two reloaded", st)
	}
}
