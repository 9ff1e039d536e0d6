package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/catalog"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/store"
)

// defaultCartCurrency is used for /cart items that name no currency when
// the flow has no products file.
const defaultCartCurrency = "USD"

func (c *chat) now() time.Time { return time.Now().Add(c.skew) }

// wait moves the chat's clock ahead by the duration in arg, running the
// flow's idle timers on the way, each at its own time, and printing what
// each reminder, or answer held by a gather, sent.
func (c *chat) wait(ctx context.Context, arg string) {
	d, err := time.ParseDuration(arg)
	if err != nil || d <= 0 {
		fmt.Fprintln(c.out, "usage: /wait DURATION (a positive duration like 30m or 2h)")
		return
	}
	end := c.now().Add(d)
	if index, ok := c.store.(store.IdleIndex); ok {
		c.runTimers(ctx, index, end)
	}
	c.skew += end.Sub(c.now())
	fmt.Fprintf(c.out, "(%s later)\n", arg)
}

// runTimers runs the idle timers due by end and prints each move before
// the messages it sent; the last of them are what the replies offered.
func (c *chat) runTimers(ctx context.Context, index store.IdleIndex, end time.Time) {
	var before map[string]offer
	err := idleSteps(ctx, c.engine, index, end, func(t time.Time) { c.skew += t.Sub(c.now()) },
		func() { before, c.offered = c.offered, map[string]offer{}; c.replies.Reset() },
		func(moved []bot.Result) {
			if len(moved) == 0 {
				c.offered = before // nothing new was offered
			}
			for _, res := range moved {
				fmt.Fprintf(c.out, "· %s → %s (%s)\n", res.From, res.To, res.Trigger.Step)
			}
			fmt.Fprint(c.out, c.replies.String())
		})
	if err != nil {
		fmt.Fprintf(c.out, "(error: %v)\n", err)
	}
}

// tap sends a list_reply or button_reply for id, in reply to the last
// replies when they offered it, else to the newest message that did (a
// tap on an old menu), else a list row in reply to nothing.
func (c *chat) tap(ctx context.Context, id string) {
	if id == "" {
		fmt.Fprintln(c.out, "usage: /tap ID")
		return
	}
	o, ok := c.offered[flows.Key(id)]
	if !ok {
		o, ok = c.earlier[flows.Key(id)]
		if ok {
			fmt.Fprintf(c.out, "(%s was offered by an earlier message; tapping it there)\n", id)
		} else {
			fmt.Fprintf(c.out, "(%s was not offered by the last messages; tapping it as a list row)\n", id)
			o = offer{kind: whatsapp.KindListReply, title: id}
		}
	}
	c.send(ctx, whatsapp.Event{Kind: o.kind, Type: "interactive", ReplyID: id, Text: o.title, ContextID: o.menu})
}

// cart sends an order built from ID:QTY[:PRICE[:CURRENCY]] items.
func (c *chat) cart(ctx context.Context, items []string) {
	order, err := parseCart(items, c.flow.Products)
	if err != nil {
		fmt.Fprintf(c.out, "%v\nusage: /cart ID:QTY[:PRICE[:CURRENCY]] ...\n", err)
		return
	}
	order.CatalogID = c.flow.Catalog
	c.send(ctx, whatsapp.Event{Kind: whatsapp.KindOrder, Type: "order", Order: &order})
}

// coordsPrefix reads LAT,LONG at the start of /location's argument,
// with or without a space after the comma.
var coordsPrefix = regexp.MustCompile(`^\s*([^\s,]+)\s*,\s*([^\s,]+)(.*)$`)

// location shares a place: LAT,LONG, then its address if given.
func (c *chat) location(ctx context.Context, arg string) {
	var lat, long float64
	var address string
	m := coordsPrefix.FindStringSubmatch(arg)
	ok := m != nil
	if ok {
		lat, long, ok = parseCoords(m[1], m[2])
		address = m[3]
	}
	if !ok {
		fmt.Fprintln(c.out, "usage: /location LAT,LONG [ADDRESS] (like /location 18.5204,73.8567 12 MG Road, Pune)")
		return
	}
	c.send(ctx, whatsapp.Event{Kind: whatsapp.KindLocation, Type: "location",
		Location: &whatsapp.Location{Latitude: lat, Longitude: long, Address: strings.TrimSpace(address)}})
}

// chatMimeTypes are the MIME types /media gives each type of file.
var chatMimeTypes = map[string]string{"image": "image/jpeg", "video": "video/mp4", "audio": "audio/ogg", "document": "application/pdf"}

// media sends a made-up file of a type, with its caption if given.
func (c *chat) media(ctx context.Context, arg string) {
	typ, caption := arg, ""
	if f := strings.Fields(arg); len(f) > 0 {
		typ, caption = strings.ToLower(f[0]), strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(arg), f[0]))
	}
	if chatMimeTypes[typ] == "" {
		fmt.Fprintf(c.out, "usage: /media %s [CAPTION] (like /media image paid by UPI)\n", strings.Join(whatsapp.MediaTypes, "|"))
		return
	}
	c.send(ctx, whatsapp.Event{Kind: whatsapp.KindMedia, Type: typ, Media: &whatsapp.Media{Type: typ,
		ID: fmt.Sprintf("chat-media-%d", c.n+1), MimeType: chatMimeTypes[typ], Caption: caption}})
}

// parseCoords reads a latitude within ±90 and a longitude within ±180.
func parseCoords(a, b string) (lat, long float64, ok bool) {
	lat, errA := strconv.ParseFloat(a, 64)
	long, errB := strconv.ParseFloat(b, 64)
	ok = errA == nil && errB == nil && whatsapp.Location{Latitude: lat, Longitude: long}.OnEarth()
	return lat, long, ok
}

// parseCart reads /cart items. An item the flow's products file lists
// takes its price and currency from there unless the item gives them, as
// WhatsApp prices a cart from the business's catalogue; an item the file
// does not list costs 0 in the file's currency (USD without a file).
func parseCart(items []string, cat *catalog.Catalog) (whatsapp.Order, error) {
	var o whatsapp.Order
	if len(items) == 0 {
		return o, errors.New("an empty cart")
	}
	for _, s := range items {
		it, err := parseCartItem(s, cat)
		if err != nil {
			return o, err
		}
		o.Items = append(o.Items, it)
	}
	return o, nil
}

func parseCartItem(s string, cat *catalog.Catalog) (whatsapp.OrderItem, error) {
	p := strings.Split(s, ":")
	it := whatsapp.OrderItem{ID: p[0], Currency: defaultCartCurrency}
	if cur := catalogCurrency(cat); cur != "" {
		it.Currency = cur
	}
	if prod, ok := cat.Lookup(p[0]); ok {
		it.Price, it.Currency = prod.Price, prod.Currency
	}
	if len(p) < 2 || len(p) > 4 || p[0] == "" {
		return it, fmt.Errorf("%q is not ID:QTY[:PRICE[:CURRENCY]]", s)
	}
	q, err := strconv.Atoi(p[1])
	if err != nil || q <= 0 {
		return it, fmt.Errorf("%q: quantity must be a positive whole number", s)
	}
	it.Quantity = q
	if len(p) > 2 && p[2] != "" {
		if it.Price, err = strconv.ParseFloat(p[2], 64); err != nil || it.Price < 0 {
			return it, fmt.Errorf("%q: price must be a number like 8.50", s)
		}
	}
	if len(p) > 3 && p[3] != "" {
		it.Currency = strings.ToUpper(p[3])
	}
	return it, nil
}

// showState prints the conversation's state, vars and last cart.
func (c *chat) showState(ctx context.Context) {
	conv, err := c.store.Load(ctx, c.phone)
	if err != nil {
		fmt.Fprintf(c.out, "(error: %v)\n", err)
		return
	}
	if !conv.Exists() {
		fmt.Fprintln(c.out, "no conversation yet: say something to start at", c.flow.Start.State)
		return
	}
	if conv.Vars == nil {
		conv.Vars = map[string]any{}
	}
	vars, _ := json.Marshal(conv.Vars)
	fmt.Fprintf(c.out, "state: %s\nvars: %s\n", conv.State, vars)
	if conv.HandedOff() {
		fmt.Fprintf(c.out, "handed off to a person since %s: the bot is silent until /resume\n", conv.HandoffAt.Format(time.Kitchen))
	}
	if conv.Gathered != "" {
		fmt.Fprintf(c.out, "held: %q (gather: goes on once nothing more is typed)\n", conv.Gathered)
	}
	if order, _ := catalog.Price(conv.Order, c.flow.Products); len(order.Items) > 0 {
		fmt.Fprintf(c.out, "cart: %d item(s), total %s\n", len(order.Items), totals(order.Totals))
	}
	if l := conv.Location; l != (whatsapp.Location{}) {
		fmt.Fprintf(c.out, "location: %s\n", l)
	}
	if m := conv.Media; m != (whatsapp.Media{}) {
		fmt.Fprintf(c.out, "media: %s\n", m)
	}
}

// resume ends a handoff as an operator would, and shows what the shopper
// wrote meanwhile.
func (c *chat) resume(ctx context.Context) {
	was, held, err := c.engine.Resume(ctx, c.phone)
	switch {
	case err != nil:
		fmt.Fprintf(c.out, "(error: %v)\n", err)
	case !was:
		fmt.Fprintln(c.out, "· not handed off: nothing to resume")
	default:
		fmt.Fprintf(c.out, "· resumed: the bot answers again; %d message(s) held meanwhile\n", len(held))
		for _, h := range held {
			if h.Text != "" {
				fmt.Fprintf(c.out, "  %s: %q\n", h.Kind, h.Text)
			} else {
				fmt.Fprintf(c.out, "  %s\n", h.Kind)
			}
		}
	}
}

// totals writes a cart's totals, one per currency: "31.00 EUR + 3.00 USD".
func totals(ts []catalog.Amount) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = catalog.Money(t.Value, t.Currency)
	}
	return strings.Join(parts, " + ")
}

// reset forgets the conversation by starting on a fresh embedded store.
func (c *chat) reset() {
	old := c.store
	if err := c.open(); err != nil {
		fmt.Fprintf(c.out, "(error: %v)\n", err)
		return
	}
	old.Close()
	fmt.Fprintln(c.out, "conversation forgotten; say something to start at", c.flow.Start.State)
}
