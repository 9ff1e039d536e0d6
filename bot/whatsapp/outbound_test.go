package whatsapp

import (
	"errors"
	"strings"
	"testing"
)

func TestRequest(t *testing.T) {
	const to = `"messaging_product":"whatsapp","recipient_type":"individual","to":"+919876543210"`
	long := strings.Repeat("é", 300)
	tests := []struct {
		name string
		out  Outbound
		want string
		waba bool
	}{
		{"text with preview",
			Outbound{To: "919876543210", Message: Text{Body: "see https://example.com", PreviewURL: true}},
			`{"messaging_object":{` + to + `,"type":"text","text":{"preview_url":true,"body":"see https://example.com"}}}`, false},
		{"text by pointer, no escaping of & and <",
			Outbound{To: "919876543210", Message: &Text{Body: "Fish & Chips <3"}},
			`{"messaging_object":{` + to + `,"type":"text","text":{"body":"Fish & Chips <3"}}}`, false},
		{"catalogue link without preview says false",
			Outbound{To: "919876543210", Message: CatalogLink{Body: "https://wa.me/c/911161197855"}},
			`{"messaging_object":{` + to + `,"type":"text","text":{"preview_url":false,"body":"https://wa.me/c/911161197855"}}}`, false},
		{"list without optional fields",
			Outbound{To: "919876543210", Message: List{Body: "Pick", Button: "Menu",
				Sections: []Section{{Rows: []Row{{ID: "a", Title: "A"}}}}}},
			`{"messaging_object":{` + to + `,"type":"interactive","interactive":{"type":"list","body":{"text":"Pick"},` +
				`"action":{"button":"Menu","sections":[{"rows":[{"id":"a","title":"A"}]}]}}}}`, false},
		{"list with a blank header and footer leaves them out",
			Outbound{To: "919876543210", Message: List{Header: "  ", Body: "Pick", Footer: "\t", Button: "Menu",
				Sections: []Section{{Rows: []Row{{ID: "a", Title: "A"}}}}}},
			`{"messaging_object":{` + to + `,"type":"interactive","interactive":{"type":"list","body":{"text":"Pick"},` +
				`"action":{"button":"Menu","sections":[{"rows":[{"id":"a","title":"A"}]}]}}}}`, false},
		{"buttons without header and footer",
			Outbound{To: "919876543210", Message: Buttons{Body: "Sure?", Buttons: []Button{{ID: "y", Title: "Yes"}}}},
			`{"messaging_object":{` + to + `,"type":"interactive","interactive":{"type":"button","body":{"text":"Sure?"},` +
				`"action":{"buttons":[{"type":"reply","reply":{"id":"y","title":"Yes"}}]}}}}`, false},
		{"product without body and footer",
			Outbound{To: "919876543210", Message: Product{CatalogID: "1033000049", ProductID: "dr-lemonade"}},
			`{"messaging_object":{` + to + `,"type":"interactive","interactive":{"type":"product",` +
				`"action":{"catalog_id":"1033000049","product_retailer_id":"dr-lemonade"}}}}`, false},
		{"product list without footer",
			Outbound{To: "919876543210", Message: ProductList{CatalogID: "1033000049", Header: "Pizzas", Body: "Ours",
				Sections: []ProductSection{{Title: "Classics", ProductIDs: []string{"pz-1"}}}}},
			`{"messaging_object":{` + to + `,"type":"interactive","interactive":{"type":"product_list",` +
				`"header":{"type":"text","text":"Pizzas"},"body":{"text":"Ours"},"action":{"catalog_id":"1033000049",` +
				`"sections":[{"title":"Classics","product_items":[{"product_retailer_id":"pz-1"}]}]}}}}`, false},
		{"template without body parameters",
			Outbound{To: "919876543210", Message: Template{Name: "spm", Language: "en", CatalogID: "1", ProductID: "p"}},
			`{` + to + `,"type":"template","template":{"name":"spm","language":{"policy":"deterministic","code":"en"},` +
				`"components":[{"type":"header","parameters":[{"type":"product","product":{"product_retailer_id":"p","catalog_id":"1"}}]}]}}`, true},
		{"id becomes ref",
			Outbound{ID: "01HZX", To: "919876543210", Message: Text{Body: "hi"}},
			`{"messaging_object":{` + to + `,"type":"text","text":{"body":"hi"}},"extra_info":{"ref":"01HZX"}}`, false},
		{"flow ref wins over id",
			Outbound{ID: "01HZX", To: "919876543210", Message: Text{Body: "hi"}, ExtraInfo: ExtraInfo{Ref: "order-7", Ref2: "x"}},
			`{"messaging_object":{` + to + `,"type":"text","text":{"body":"hi"}},"extra_info":{"ref":"order-7","ref2":"x"}}`, false},
		{"refs cut to 255 characters",
			Outbound{To: "919876543210", Message: Text{Body: "hi"}, ExtraInfo: ExtraInfo{Ref1: long}},
			`{"messaging_object":{` + to + `,"type":"text","text":{"body":"hi"}},"extra_info":{"ref1":"` + long[:510] + `"}}`, false},
		{"unknown wa_source becomes api",
			Outbound{To: "919876543210", Message: Text{Body: "hi"}, ExtraInfo: ExtraInfo{WASource: "souk"}},
			`{"messaging_object":{` + to + `,"type":"text","text":{"body":"hi"}},"extra_info":{"wa_source":"api"}}`, false},
		{"documented wa_source lower-cased",
			Outbound{To: "+91 98765-43210", Message: Text{Body: "hi"}, ExtraInfo: ExtraInfo{WASource: "Shopify"}},
			`{"messaging_object":{` + to + `,"type":"text","text":{"body":"hi"}},"extra_info":{"wa_source":"shopify"}}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, waba, err := tt.out.Request()
			if err != nil {
				t.Fatalf("Request: %v", err)
			}
			if string(body) != tt.want {
				t.Errorf("Request body\n got: %s\nwant: %s", body, tt.want)
			}
			if waba != tt.waba {
				t.Errorf("waba = %v, want %v", waba, tt.waba)
			}
		})
	}
}

// foreign is a Message this package does not know.
type foreign struct{}

func (foreign) Kind() string { return "foreign" }

func TestRequestErrors(t *testing.T) {
	tests := []struct {
		name  string
		out   Outbound
		field string // of the *FieldError, when there is one
	}{
		{name: "no message", out: Outbound{To: "919876543210"}},
		{name: "nil pointer", out: Outbound{To: "919876543210", Message: (*List)(nil)}},
		{name: "unknown message type", out: Outbound{To: "919876543210", Message: foreign{}}},
		{name: "empty text", out: Outbound{To: "919876543210", Message: Text{}}, field: "body"},
		{name: "no recipient", out: Outbound{Message: Text{Body: "hi"}}, field: "to"},
		{name: "short recipient", out: Outbound{To: "+91 98765", Message: Text{Body: "hi"}}, field: "to"},
		{name: "recipient with letters", out: Outbound{To: "91987654321O", Message: Text{Body: "hi"}}, field: "to"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, _, err := tt.out.Request()
			if !errors.Is(err, ErrInvalidMessage) {
				t.Fatalf("Request error = %v, want ErrInvalidMessage", err)
			}
			if body != nil {
				t.Errorf("Request gave a body with its error: %s", body)
			}
			if tt.field == "" {
				return
			}
			if fe, ok := errors.AsType[*FieldError](err); !ok || fe.Field != tt.field {
				t.Errorf("Request error = %v, want a *FieldError on %s", err, tt.field)
			}
			if strings.Contains(err.Error(), Digits(tt.out.To)) && tt.out.To != "" {
				t.Errorf("error %q shows the phone number", err)
			}
		})
	}
}

func TestOutboundRef(t *testing.T) {
	tests := []struct {
		name string
		out  Outbound
		want string
	}{
		{"id", Outbound{ID: "01HZX"}, "01HZX"},
		{"flow ref", Outbound{ID: "01HZX", ExtraInfo: ExtraInfo{Ref: "mine"}}, "mine"},
		{"cut", Outbound{ID: strings.Repeat("a", 300)}, strings.Repeat("a", 255)},
		{"none", Outbound{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.out.Ref(); got != tt.want {
				t.Errorf("Ref() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestExtraInfoNormalized(t *testing.T) {
	sources := []string{"api", "clevertap", "zoho", "webengage", "shopify", "leadsquared", "responsys",
		"braze", "hubspot", "salesforce", "zapier", "eloqua", "moengage"}
	tests := []struct {
		name string
		in   ExtraInfo
		want ExtraInfo
	}{
		{"empty", ExtraInfo{}, ExtraInfo{}},
		{"short refs kept", ExtraInfo{Ref: "a", Ref1: "b", Ref2: "c"}, ExtraInfo{Ref: "a", Ref1: "b", Ref2: "c"}},
		{"255 kept", ExtraInfo{Ref: strings.Repeat("x", 255)}, ExtraInfo{Ref: strings.Repeat("x", 255)}},
		{"256 cut", ExtraInfo{Ref2: strings.Repeat("x", 256)}, ExtraInfo{Ref2: strings.Repeat("x", 255)}},
		{"runes counted", ExtraInfo{Ref: strings.Repeat("日", 256)}, ExtraInfo{Ref: strings.Repeat("日", 255)}},
		{"capitalised API", ExtraInfo{WASource: "API"}, ExtraInfo{WASource: "api"}},
		{"unknown source", ExtraInfo{WASource: "whatsapp"}, ExtraInfo{WASource: "api"}},
	}
	for _, s := range sources {
		tests = append(tests, struct {
			name string
			in   ExtraInfo
			want ExtraInfo
		}{"source " + s, ExtraInfo{WASource: s}, ExtraInfo{WASource: s}})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.in.Normalized(); got != tt.want {
				t.Errorf("Normalized() = %+v, want %+v", got, tt.want)
			}
		})
	}
}
