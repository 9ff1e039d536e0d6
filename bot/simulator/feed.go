package simulator

import (
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

// Record is one outbound request as the page receives it.
type Record struct {
	Seq uint64 `json:"seq"`
	// ID is the message's id on the page, unique across restarts; a tap
	// on the message sends it as its context.
	ID     string    `json:"id"`
	Time   time.Time `json:"time"`
	Method string    `json:"method"`
	Path   string    `json:"path"`
	// To is the shopper's number, digits only.
	To string `json:"to"`
	// Body is the exact request body, byte for byte.
	Body string `json:"body"`
	// Products describes the products the body names, when known.
	Products map[string]Product `json:"products,omitempty"`
}

// Feed fans outbound requests out to the pages watching them and keeps the
// latest ones so a page that reconnects misses nothing. It is safe for
// concurrent use.
type Feed struct {
	mu       sync.Mutex
	ring     []Record
	size     int
	seq      uint64
	subs     map[chan Record]string
	closed   bool
	products Products
	clock    func() time.Time
	run      string // tells this feed's record ids from an earlier one's
}

// subBuffer is how many records a slow page may fall behind before it is
// dropped (it then reconnects and replays from the ring).
const subBuffer = 64

// NewFeed returns a Feed that remembers the last size records.
func NewFeed(size int) *Feed {
	if size <= 0 {
		size = 256
	}
	return &Feed{size: size, subs: map[chan Record]string{}, clock: time.Now, run: randomHex(6)}
}

// SetProducts sets the catalogue used to describe products in records.
func (f *Feed) SetProducts(p Products) {
	f.mu.Lock()
	f.products = p
	f.mu.Unlock()
}

// OnSend publishes one request; its signature matches kaleyra.DryRun.OnSend
// and kaleyra.Observed.OnSend. body is copied.
func (f *Feed) OnSend(method, path string, body []byte) {
	ids, to := scan(body)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return
	}
	f.seq++
	r := Record{Seq: f.seq, ID: fmt.Sprintf("wamid.SIMOUT%s.%d", f.run, f.seq), Time: f.clock(), Method: method, Path: path, To: to, Body: string(body),
		Products: describe(f.products, ids)}
	f.ring = append(f.ring, r)
	if len(f.ring) > f.size {
		f.ring = f.ring[len(f.ring)-f.size:]
	}
	for ch, phone := range f.subs {
		if phone != to {
			continue
		}
		select {
		case ch <- r:
		default: // too slow: drop it; it reconnects and replays
			delete(f.subs, ch)
			close(ch)
		}
	}
}

// Subscribe returns the records for phone after seq (those still in the
// ring) and a channel of the ones to come. The channel is closed when the
// feed closes or the subscriber falls too far behind; cancel ends the
// subscription.
func (f *Feed) Subscribe(phone string, after uint64) (past []Record, next <-chan Record, cancel func()) {
	ch := make(chan Record, subBuffer)
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.ring {
		if r.To == phone && r.Seq > after {
			past = append(past, r)
		}
	}
	if f.closed {
		close(ch)
		return past, ch, func() {}
	}
	f.subs[ch] = phone
	return past, ch, func() { f.unsubscribe(ch) }
}

// Head is the sequence number of the latest record.
func (f *Feed) Head() uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.seq
}

func (f *Feed) unsubscribe(ch chan Record) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.subs[ch]; ok {
		delete(f.subs, ch)
		close(ch)
	}
}

// Close ends every subscription; later records are dropped.
func (f *Feed) Close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed = true
	for ch := range f.subs {
		close(ch)
	}
	f.subs = map[chan Record]string{}
}

// wireBody is what scan reads of a request body: a session message is
// wrapped in messaging_object, a template is not.
type wireBody struct {
	MessagingObject *wireObject `json:"messaging_object"`
	wireObject
}

type wireObject struct {
	To          string `json:"to"`
	Interactive *struct {
		Action struct {
			ProductRetailerID string `json:"product_retailer_id"`
			Sections          []struct {
				ProductItems []wireProduct `json:"product_items"`
			} `json:"sections"`
		} `json:"action"`
	} `json:"interactive"`
	Template *struct {
		Components []struct {
			Parameters []struct {
				Product *wireProduct `json:"product"`
			} `json:"parameters"`
		} `json:"components"`
	} `json:"template"`
}

type wireProduct struct {
	ProductRetailerID string `json:"product_retailer_id"`
}

// scan returns the product ids a request body names and its recipient.
func scan(body []byte) (ids []string, to string) {
	var b wireBody
	if json.Unmarshal(body, &b) != nil {
		return nil, ""
	}
	o := b.wireObject
	if b.MessagingObject != nil {
		o = *b.MessagingObject
	}
	return o.productIDs(), whatsapp.Digits(o.To)
}

func (o wireObject) productIDs() []string {
	var ids []string
	if in := o.Interactive; in != nil {
		if in.Action.ProductRetailerID != "" {
			ids = append(ids, in.Action.ProductRetailerID)
		}
		for _, s := range in.Action.Sections {
			for _, p := range s.ProductItems {
				ids = append(ids, p.ProductRetailerID)
			}
		}
	}
	if t := o.Template; t != nil {
		for _, c := range t.Components {
			for _, p := range c.Parameters {
				if p.Product != nil {
					ids = append(ids, p.Product.ProductRetailerID)
				}
			}
		}
	}
	return ids
}
