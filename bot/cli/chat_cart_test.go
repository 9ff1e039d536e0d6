package cli_test

import (
	"strings"
	"testing"
)

// TestChatCartUsesCatalogue: a /cart without prices in `souk chat` is
// priced from the pizzeria's products.csv, as the order summary shows.
func TestChatCartUsesCatalogue(t *testing.T) {
	code, out, errOut := run(t, "hi\n/tap pizzas\n/cart pz-margherita:2 pz-diavola:1\n", "chat", "../../examples/pizzeria/flow.yaml")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	for _, want := range []string{"2 x Margherita @ 9.50 = 19.00 EUR", "1 x Diavola @ 11.00 = 11.00 EUR", "Total: 30.00 EUR"} {
		if !strings.Contains(out, want) {
			t.Errorf("chat output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(errOut, "differs from the catalogue") || strings.Contains(out, "USD") {
		t.Errorf("the cart was not priced from the catalogue:\nstdout:\n%s\nstderr:\n%s", out, errOut)
	}
}

// TestChatStateTotalsPerCurrency: /state shows a cart in two currencies as
// two totals, never their sum in one.
func TestChatStateTotalsPerCurrency(t *testing.T) {
	code, out, errOut := run(t, "hi\n/tap pizzas\n/cart pz-margherita:2 pz-diavola:1:12 xx:1:3:USD\n/state\n", "chat", "../../examples/pizzeria/flow.yaml")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	if want := "cart: 3 item(s), total 31.00 EUR + 3.00 USD"; !strings.Contains(out, want) {
		t.Errorf("chat output lacks %q:\n%s", want, out)
	}
}
