package cli

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/souk-commerce/souk/bot/kaleyra/kaleyratest"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/handlers"
)

// TestSimulatorUsesTheFlowCatalogue checks that the page gets names and
// prices from the served flow's products file, that a cart's webhook
// carries the catalogue's prices, and that a reloaded products file counts
// from the next request on.
func TestSimulatorUsesTheFlowCatalogue(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"flow.yaml", "products.csv"} {
		b, err := os.ReadFile(filepath.Join("../../examples/pizzeria", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	flowFile := filepath.Join(dir, "flow.yaml")
	srv := startServe(t, nil, "--flow", flowFile)
	events := openEvents(t, srv.URL, "")
	action := func(a string) {
		t.Helper()
		if status := postAction(t, srv.URL, "", `{"phone":"919876543210","name":"Asha",`+a+`}`); status != http.StatusOK {
			t.Fatalf("%s: the webhook answered %d", a, status)
		}
	}

	action(`"type":"text","text":"hello"`)
	nextOut(t, events)
	action(`"type":"list_reply","id":"pizzas","text":"Pizzas"`)
	list := nextOut(t, events)
	if p := list.Products["pz-margherita"]; p.Name != "Margherita" || p.Price != 9.5 || p.Currency != "EUR" || p.Description == "" {
		t.Fatalf("the product list's record describes pz-margherita as %+v", p)
	}
	if len(list.Products) != 3 {
		t.Errorf("the product list's record describes %d products, want 3", len(list.Products))
	}

	// A new price in the products file, swapped in the way a reload does.
	csv := "id,name,price,currency\npz-margherita,Margherita grande,12.00,EUR\npz-marinara,Marinara,8,EUR\npz-diavola,Diavola,11,EUR\ndr-lemonade,Lemonade,3,EUR\n"
	if err := os.WriteFile(filepath.Join(dir, "products.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	reg := handlers.NewRegistry()
	handlers.RegisterBuiltins(reg)
	f, diags := flows.Load(flowFile, flowOptions(&Env{Handlers: reg}, false))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	srv.app.engine.SetFlow(f)

	// The page sends what it knew (9.50); the webhook carries today's price.
	action(`"type":"order","catalog_id":"1033000049","items":[{"product_retailer_id":"pz-margherita","quantity":2,"item_price":9.5,"currency":"EUR"}]`)
	summary := nextOut(t, events)
	if !strings.Contains(summary.Body, `2 x Margherita grande @ 12.00 = 24.00 EUR`) {
		t.Errorf("order summary = %s, want the reloaded catalogue's name and price", summary.Body)
	}
	if strings.Contains(srv.Log.String(), "cart price differs from the catalogue") {
		t.Errorf("a price mismatch was logged:\n%s", srv.Log)
	}
}

// TestServeWarnsCatalogueLinkWithoutNumber checks the start-up warning
// for a flow whose catalog_link needs KALEYRA_NUMBER.
func TestServeWarnsCatalogueLinkWithoutNumber(t *testing.T) {
	tests := []struct {
		name  string
		vars  map[string]string
		warns bool
	}{
		{"dry run without a number", nil, true},
		{"dry run with a number", map[string]string{"KALEYRA_NUMBER": "919800011122"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startServe(t, tt.vars, "--flow", flowArg)
			logs := srv.Log.String()
			warned := strings.Contains(logs, "KALEYRA_NUMBER is not set: catalogue links read https://wa.me/c/KALEYRA_NUMBER-not-set") &&
				strings.Contains(logs, "flow.yaml:61:9: warning: state catalogue: catalog_link needs the business number")
			if warned != tt.warns {
				t.Errorf("warned = %v, want %v; log:\n%s", warned, tt.warns, logs)
			}
		})
	}
}

func TestServeWarnsTemplatesWithoutWABA(t *testing.T) {
	live := map[string]string{"KALEYRA_API_KEY": "k-test-123456", "KALEYRA_SID": "HXIN1", "KALEYRA_NUMBER": "919800011122",
		"KALEYRA_BASE_URL": kaleyratest.Run(t).URL}
	withWABA := map[string]string{"KALEYRA_WABA_ID": "1090000000000001"}
	for k, v := range live {
		withWABA[k] = v
	}
	tests := []struct {
		name  string
		vars  map[string]string
		warns bool
	}{
		{"real sender without a WABA id", live, true},
		{"real sender with a WABA id", withWABA, false},
		{"dry run", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs := startServe(t, tt.vars, "--flow", flowArg).Log.String()
			warned := strings.Contains(logs, "KALEYRA_WABA_ID is not set") &&
				strings.Contains(logs, "flow.yaml:74:9")
			if warned != tt.warns {
				t.Errorf("warned = %v, want %v; log:\n%s", warned, tt.warns, logs)
			}
		})
	}
}
