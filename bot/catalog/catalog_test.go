package catalog

import (
	"strings"
	"testing"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

func TestParseGood(t *testing.T) {
	tests := []struct {
		name, file, data string
		line             int // of sku-2
	}{
		{"csv", "p.csv", "id,name,price,currency,description\nsku-1,Tea,2.50,EUR,Green\nsku-2,\"Cake, lemon\",4,EUR,\n", 3},
		{"csv columns in any order and retailer_id", "p.csv", "\ufeffcurrency,retailer_id,price,name\nEUR,sku-1,2.5,Tea\nEUR,sku-2,4.00,\"Cake, lemon\"\n", 3},
		{"yaml", "p.yaml", "- {id: sku-1, name: Tea, price: 2.50, currency: EUR, description: Green}\n- {id: sku-2, name: 'Cake, lemon', price: 4, currency: EUR}\n", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, problems := Parse(tt.file, []byte(tt.data))
			if len(problems) > 0 {
				t.Fatalf("problems: %v", problems)
			}
			if c.Len() != 2 || strings.Join(c.IDs(), ",") != "sku-1,sku-2" {
				t.Fatalf("ids = %v", c.IDs())
			}
			p, ok := c.Lookup("sku-2")
			if !ok || p.Name != "Cake, lemon" || p.Price != 4 || p.Currency != "EUR" || p.Line != tt.line {
				t.Fatalf("sku-2 = %+v", p)
			}
		})
	}
}

func TestParseProblems(t *testing.T) {
	tests := []struct {
		name, file, data string
		want             []string // FILE:LINE:COL: prefix + fragment
	}{
		{"bad price and currency", "p.csv", "id,name,price,currency\nsku-1,Tea,cheap,eur\n",
			[]string{"p.csv:2:11: price must be", "p.csv:2:17: currency must be"}},
		{"negative price", "p.csv", "id,name,price,currency\nsku-1,Tea,-1,EUR\n", []string{`p.csv:2:11: price must be a non-negative number like 9.50, not "-1"`}},
		{"NaN price", "p.csv", "id,name,price,currency\nsku-1,Tea,NaN,EUR\n", []string{`p.csv:2:11: price must be a non-negative number like 9.50, not "NaN"`}},
		{"Inf price", "p.csv", "id,name,price,currency\nsku-1,Tea,Inf,EUR\n", []string{`p.csv:2:11: price must be a non-negative number like 9.50, not "Inf"`}},
		{"+Inf price", "p.csv", "id,name,price,currency\nsku-1,Tea,+Inf,EUR\n", []string{`p.csv:2:11: price must be a non-negative number like 9.50, not "+Inf"`}},
		{"-Infinity price", "p.csv", "id,name,price,currency\nsku-1,Tea,-Infinity,EUR\n", []string{`p.csv:2:11: price must be a non-negative number like 9.50, not "-Infinity"`}},
		{"yaml NaN price", "p.yml", "- {id: a, name: A, price: nan, currency: EUR}\n", []string{`p.yml:1:27: price must be a non-negative number like 9.50, not "nan"`}},
		{"duplicate id", "p.csv", "id,name,price,currency\nsku-1,Tea,1,EUR\n  sku-1,Tea,1,EUR\n",
			[]string{`p.csv:3:1: product "sku-1" is listed twice (first at line 2)`}},
		{"missing name", "p.csv", "id,name,price,currency\nsku-1,,1,EUR\n", []string{"p.csv:2:7: product: name is empty"}},
		{"unknown column", "p.csv", "id,name,price,currency,colour\n", []string{`p.csv:1:24: unknown column "colour"`}},
		{"missing column", "p.csv", "id,name,price\n", []string{"p.csv:1:1: the header row has no currency column"}},
		{"wrong field count", "p.csv", "id,name,price,currency\nsku-1,Tea,1\n", []string{"p.csv:2:1: row has 3 fields, the header has 4"}},
		{"a comma not quoted", "p.csv", "id,name,price,currency\nsku-1,Tea, green,1,EUR\n", []string{"p.csv:2:1: row has 5 fields, the header has 4 (put a field that holds a comma in double quotes"}},
		{"semicolons", "p.csv", "id;name;price;currency\nsku-1;Tea;1;EUR\n", []string{`p.csv:1:1: unknown column "id;name;price;currency": the file is separated by semicolons`}},
		{"empty currency said once", "p.csv", "id,name,price,currency\nsku-1,Tea,1,\n", []string{"p.csv:2:13: product: currency is empty"}},
		{"bad quote", "p.csv", "id,name,price,currency\nsku-1,\"Tea,1,EUR\n", []string{`p.csv:2:18: extraneous or missing "`}},
		{"empty", "p.csv", "", []string{"p.csv:1:1: the products file is empty"}},
		{"yaml unknown key", "p.yml", "- {id: a, name: A, price: 1, currency: EUR, colour: red}\n", []string{`p.yml:1:45: product: unknown key "colour"`}},
		{"yaml missing currency", "p.yml", "- id: a\n  name: A\n  price: 1\n", []string{"p.yml:1:3: product: missing currency"}},
		{"yaml not a list", "p.yml", "a: b\n", []string{"p.yml:1:1: a YAML products file is a list"}},
		{"yaml second document", "p.yml", "- {id: a, name: A, price: 1, currency: EUR}\n---\n- {id: b, name: B, price: 2, currency: EUR}\n",
			[]string{"p.yml:3:1: a products file holds one YAML document"}},
		{"other extension", "p.json", "[]", []string{"p.json:1:1: products file must end in"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, problems := Parse(tt.file, []byte(tt.data))
			var got []string
			for _, p := range problems {
				got = append(got, p.Error())
			}
			if len(got) != len(tt.want) {
				t.Fatalf("problems = %q, want %d", got, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("problem %d = %q, want prefix %q", i, got[i], w)
				}
			}
		})
	}
}

func TestPrice(t *testing.T) {
	cat, problems := Parse("p.csv", []byte("id,name,price,currency\nsku-1,Tea,2.50,EUR\nsku-2,Cake,4.00,EUR\n"))
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	tests := []struct {
		name       string
		items      []whatsapp.OrderItem
		wantNames  string
		wantTotals []Amount
		wantBad    int
	}{
		{"webhook prices, catalogue names", []whatsapp.OrderItem{{ID: "sku-1", Quantity: 3, Price: 2.5, Currency: "EUR"}, {ID: "sku-2", Quantity: 1, Price: 4, Currency: "EUR"}},
			"Tea,Cake", []Amount{{11.5, "EUR"}}, 0},
		{"unknown item keeps its id as name", []whatsapp.OrderItem{{ID: "x-9", Quantity: 2, Price: 1.1, Currency: "EUR"}},
			"x-9", []Amount{{2.2, "EUR"}}, 0},
		{"missing webhook price falls back to the catalogue", []whatsapp.OrderItem{{ID: "sku-2", Quantity: 2}},
			"Cake", []Amount{{8, "EUR"}}, 0},
		{"price mismatch is reported, webhook price wins", []whatsapp.OrderItem{{ID: "sku-1", Quantity: 1, Price: 3, Currency: "EUR"}},
			"Tea", []Amount{{3, "EUR"}}, 1},
		{"several currencies", []whatsapp.OrderItem{{ID: "a", Quantity: 1, Price: 10, Currency: "INR"}, {ID: "b", Quantity: 2, Price: 0.1, Currency: "USD"}, {ID: "c", Quantity: 1, Price: 5, Currency: "INR"}},
			"a,b,c", []Amount{{15, "INR"}, {0.2, "USD"}}, 0},
		{"empty", nil, "", nil, 0},
		{"three decimals for dinars", []whatsapp.OrderItem{{ID: "a", Quantity: 3, Price: 1.235, Currency: "KWD"}, {ID: "b", Quantity: 1, Price: 0.005, Currency: "KWD"}},
			"a,b", []Amount{{3.71, "KWD"}}, 0},
		{"none for yen", []whatsapp.OrderItem{{ID: "a", Quantity: 3, Price: 99.5, Currency: "JPY"}},
			"a", []Amount{{299, "JPY"}}, 0},
		{"a lower-case code is the code", []whatsapp.OrderItem{{ID: "sku-1", Quantity: 1, Price: 2.5, Currency: "eur"}, {ID: "x", Quantity: 1, Price: 1, Currency: " EUR"}},
			"Tea,x", []Amount{{3.5, "EUR"}}, 0},
		{"items no cart holds are left out", []whatsapp.OrderItem{{ID: "neg", Quantity: -5, Price: 9.5, Currency: "EUR"},
			{ID: "none", Quantity: 0, Price: 1, Currency: "EUR"}, {ID: "cheap", Quantity: 1, Price: -3, Currency: "EUR"},
			{ID: "huge", Quantity: 2, Price: 1e308, Currency: "EUR"}, {ID: "ok", Quantity: 1, Price: 2, Currency: "EUR"}},
			"ok", []Amount{{2, "EUR"}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, bad := Price(whatsapp.Order{Items: tt.items}, cat)
			var names []string
			for _, it := range o.Items {
				names = append(names, it.Name)
			}
			if strings.Join(names, ",") != tt.wantNames || len(bad) != tt.wantBad {
				t.Fatalf("names %v mismatches %v", names, bad)
			}
			if len(o.Totals) != len(tt.wantTotals) {
				t.Fatalf("totals = %v, want %v", o.Totals, tt.wantTotals)
			}
			for i := range o.Totals {
				if o.Totals[i] != tt.wantTotals[i] {
					t.Fatalf("totals = %v, want %v", o.Totals, tt.wantTotals)
				}
			}
			if len(tt.wantTotals) > 0 && (o.Total != tt.wantTotals[0].Value || o.Currency != tt.wantTotals[0].Currency) {
				t.Fatalf("total = %v %s", o.Total, o.Currency)
			}
		})
	}
}

func TestNilCatalog(t *testing.T) {
	var c *Catalog
	if _, ok := c.Lookup("x"); ok || c.Len() != 0 || c.IDs() != nil {
		t.Fatal("nil catalogue is not empty")
	}
}

func TestCurrencyDecimals(t *testing.T) {
	tests := []struct {
		v        float64
		currency string
		want     string
	}{
		{9.5, "EUR", "9.50 EUR"},
		{1500, "JPY", "1500 JPY"},
		{3.7104, "KWD", "3.710 KWD"},
		{0.0005, "BHD", "0.001 BHD"},
		{2, "", "2.00"},
		{2.345, "XYZ", "2.35 XYZ"},
	}
	for _, tt := range tests {
		if got := Money(Round(tt.v, tt.currency), tt.currency); got != tt.want {
			t.Errorf("Money(Round(%v, %q)) = %q, want %q", tt.v, tt.currency, got, tt.want)
		}
	}
}
