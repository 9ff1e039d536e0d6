package whatsapp

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// seedExtra is the extra_info of every Kaleyra seed sample.
var seedExtra = ExtraInfo{Ref: "customer1", Ref1: "marketing", Ref2: "dictionary", WASource: "api"}

// goldenCases are one outbound message per kind, with the example values of
// the kind's Kaleyra seed where it gives them (seed numbers are masked, so
// `to` is a real-looking number of the same country).
var goldenCases = []struct {
	name string // file name under testdata/golden, without .json
	out  Outbound
	waba bool
}{
	{"text", Outbound{ID: "msg-01", To: "919876543210", ExtraInfo: seedExtra,
		Message: Text{Body: "Thanks, your order is in!"}}, false},
	{"list", Outbound{ID: "msg-02", To: "+91 98765 43210", ExtraInfo: seedExtra, Message: List{
		Header: "Shipping Options",
		Body:   "Choose your shipping option",
		Footer: "Trendy apparel: your ultimate style choices",
		Button: "Shipping Options",
		Sections: []Section{
			{Title: "I want it pretty quick!", Rows: []Row{
				{ID: "priority_express", Title: "Quick Mail Express", Description: "Next 2 days"},
				{ID: "priority_mail", Title: "Priority Mail", Description: "2–3 Days"},
			}},
			{Title: "I am not in a hurry", Rows: []Row{
				{ID: "ups_ground_advantage", Title: "ups ground advantage", Description: "4–5 Days"},
				{ID: "media_mail", Title: "Media Mail", Description: "4–8 Days"},
			}},
		}}}, false},
	{"buttons", Outbound{ID: "msg-03", To: "919876543210", ExtraInfo: seedExtra, Message: Buttons{
		Header: "Your cart",
		Body:   "2 x Margherita, 1 x Lemonade. Shall we send it?",
		Footer: "Shipment from Kaleyra.",
		Buttons: []Button{
			{ID: "confirm_order", Title: "Confirm"},
			{ID: "change_order", Title: "Change"},
			{ID: "cancel_order", Title: "Cancel"},
		}}}, false},
	{"product", Outbound{ID: "msg-04", To: "919876543210", ExtraInfo: seedExtra, Message: Product{
		CatalogID: "103xxxx49",
		ProductID: "17xxxxxxx26",
		Body:      "Your order has been shipped.",
		Footer:    "Shipment from Kaleyra.",
	}}, false},
	{"product_list", Outbound{ID: "msg-05", To: "919876543210", ExtraInfo: seedExtra, Message: ProductList{
		CatalogID: "103xxxx49",
		Header:    "The products you want to order.",
		Body:      "Checkout our delivery menu and place your order.",
		Footer:    "Shipment from Kaleyra.",
		Sections: []ProductSection{
			{Title: "Pizza", ProductIDs: []string{"2lxxxx05pb", "3lxxxx05pd"}},
			{Title: "Beverage", ProductIDs: []string{"4lxxxx05pp", "5lxxxx0ccp"}},
		}}}, false},
	{"catalog_link", Outbound{ID: "msg-06", To: "919876543210", ExtraInfo: seedExtra, Message: CatalogLink{
		Body:       "As requested, here is the link to our latest product: https://wa.me/c/911161197855",
		PreviewURL: true,
	}}, false},
	{"template", Outbound{ID: "msg-07", To: "+16505551234", ExtraInfo: seedExtra, Message: Template{
		Name:       "abandoned_cart_offer",
		Language:   "en_US",
		CatalogID:  "194XXXXXXXX3835",
		ProductID:  "nqrxxx03ez",
		BodyParams: []string{"25OFF", "25%"},
	}}, true},
}

func TestRequestGolden(t *testing.T) {
	for _, tt := range goldenCases {
		t.Run(tt.name, func(t *testing.T) {
			if kind := tt.out.Message.Kind(); kind != tt.name {
				t.Fatalf("case %s holds a %s message", tt.name, kind)
			}
			body, waba, err := tt.out.Request()
			if err != nil {
				t.Fatalf("Request: %v", err)
			}
			if waba != tt.waba {
				t.Errorf("waba = %v, want %v", waba, tt.waba)
			}
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, body, "", "  "); err != nil {
				t.Fatalf("Request body is not JSON: %v\n%s", err, body)
			}
			pretty.WriteByte('\n')
			checkGolden(t, goldenPath(tt.name), pretty.Bytes(), "Request body")
		})
	}
}

// checkGolden compares got, what the test names what, with the golden file
// at path, which go test -update rewrites first.
func checkGolden(t *testing.T, path string, got []byte, what string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s (go test -update rewrites it)\n got: %s\nwant: %s", what, path, got, want)
	}
}

func goldenPath(name string) string {
	return filepath.Join("testdata", "golden", name+".json")
}
