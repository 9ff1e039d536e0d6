package flows_test

import (
	"testing"

	"github.com/souk-commerce/souk/flows"
)

// BenchmarkRender renders the first message of each pizzeria state the
// benchmark script walks through: a list with a template, a product list,
// a product.
func BenchmarkRender(b *testing.B) {
	f := loadPizzeria(b)
	env := &flows.Env{Data: &flows.Data{Contact: flows.Contact{Name: "Asha"}, Phone: "919876543210", Vars: map[string]any{}}, Catalog: f.Catalog, BusinessNumber: "919800011122"}
	for _, state := range []string{"welcome", "pizzas", "lemonade", "offer"} {
		spec := f.States[state].Send[0].Spec
		b.Run(state, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := spec.Render(env); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
