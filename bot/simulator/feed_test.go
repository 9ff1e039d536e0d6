package simulator

import (
	"fmt"
	"strings"
	"testing"
)

func body(to string, products ...string) []byte {
	items := ""
	for i, p := range products {
		if i > 0 {
			items += ","
		}
		items += fmt.Sprintf(`{"product_retailer_id":%q}`, p)
	}
	return fmt.Appendf(nil, `{"messaging_object":{"to":"+%s","type":"interactive","interactive":{"type":"product_list",`+
		`"action":{"sections":[{"title":"A","product_items":[%s]}]}}}}`, to, items)
}

func TestFeedSubscribe(t *testing.T) {
	f := NewFeed(3)
	f.OnSend("POST", "/p", body("111111111"))
	f.OnSend("POST", "/p", body("222222222"))
	past, next, cancel := f.Subscribe("111111111", 0)
	defer cancel()
	if len(past) != 1 || past[0].Seq != 1 || past[0].To != "111111111" {
		t.Fatalf("replay = %+v, want record 1 only", past)
	}
	f.OnSend("POST", "/p", body("222222222"))
	f.OnSend("POST", "/p", body("111111111"))
	if r := <-next; r.Seq != 4 || r.Body != string(body("111111111")) || r.Method != "POST" || r.Path != "/p" {
		t.Errorf("next = %+v, want record 4 with the exact body", r)
	}
	if len(next) != 0 {
		t.Errorf("another shopper's record reached the subscriber")
	}
	if again := NewFeed(3); past[0].ID == "" || !strings.HasSuffix(past[0].ID, ".1") {
		t.Errorf("record id %q, want one ending in its seq", past[0].ID)
	} else if again.OnSend("POST", "/p", body("111111111")); again.ring[0].ID == past[0].ID {
		t.Errorf("two feeds gave their first record the same id %q", past[0].ID)
	}
}

func TestFeedReplay(t *testing.T) {
	tests := []struct {
		name    string
		after   uint64
		wantSeq []uint64
	}{
		{name: "from the start, only what the ring keeps", after: 0, wantSeq: []uint64{3, 4, 5}},
		{name: "after a record", after: 3, wantSeq: []uint64{4, 5}},
		{name: "up to date", after: 5, wantSeq: nil},
	}
	f := NewFeed(3)
	for range 5 {
		f.OnSend("POST", "/p", body("111111111"))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			past, _, cancel := f.Subscribe("111111111", tt.after)
			defer cancel()
			var got []uint64
			for _, r := range past {
				got = append(got, r.Seq)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.wantSeq) {
				t.Errorf("replayed %v, want %v", got, tt.wantSeq)
			}
		})
	}
}

func TestFeedDropsSlowAndCloses(t *testing.T) {
	f := NewFeed(0)
	_, slow, cancelSlow := f.Subscribe("111111111", 0)
	defer cancelSlow()
	for range subBuffer + 1 {
		f.OnSend("POST", "/p", body("111111111"))
	}
	n := 0
	for range slow {
		n++
	}
	if n != subBuffer {
		t.Errorf("slow subscriber got %d records before being dropped, want %d", n, subBuffer)
	}
	_, live, _ := f.Subscribe("111111111", f.Head())
	f.Close()
	if _, ok := <-live; ok {
		t.Errorf("Close left a subscription open")
	}
	f.OnSend("POST", "/p", body("111111111"))
	if f.Head() != subBuffer+1 {
		t.Errorf("a record was published after Close")
	}
}

func TestFeedDescribesProducts(t *testing.T) {
	f := NewFeed(8)
	f.SetProducts(ProductsFunc(func(id string) (Product, bool) {
		if id == "pz-margherita" {
			return Product{Name: "Margherita", Price: 9.5, Currency: "EUR"}, true
		}
		return Product{}, false
	}))
	f.OnSend("POST", "/p", body("111111111", "pz-margherita", "pz-unknown"))
	f.OnSend("POST", "/p", []byte(`{"to":"+111111111","type":"template","template":{"components":[`+
		`{"type":"header","parameters":[{"type":"product","product":{"product_retailer_id":"pz-margherita"}}]}]}}`))
	past, _, cancel := f.Subscribe("111111111", 0)
	defer cancel()
	for _, r := range past {
		if len(r.Products) != 1 || r.Products["pz-margherita"].Name != "Margherita" {
			t.Errorf("record %d products = %+v, want Margherita only", r.Seq, r.Products)
		}
	}
	if len(past) != 2 {
		t.Fatalf("got %d records, want 2 (the template is addressed at top level)", len(past))
	}
}
