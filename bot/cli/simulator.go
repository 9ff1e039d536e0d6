package cli

import (
	"errors"
	"log/slog"
	"net"
	"net/url"

	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/catalog"
	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/simulator"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/store"
)

// withSimulator builds the web simulator when it is on: always with the
// dry-run sender, and with a real sender only for --simulator, behind the
// operator token. It returns the sender to use, which feeds the page.
// current returns the flow being served, whose products file names and
// prices the page's products; it is called at each request, so a reloaded
// flow's catalogue shows at once.
func withSimulator(cfg serveConfig, sender kaleyra.Sender, st store.Store, current func() *flows.Flow, log *slog.Logger) (*simulator.Simulator, kaleyra.Sender, error) {
	dry, isDry := sender.(*kaleyra.DryRun)
	if !isDry && !cfg.simulator {
		return nil, sender, nil
	}
	if !isDry && cfg.hook.OperatorToken == "" {
		return nil, nil, errors.New("--simulator with a real Kaleyra sender needs SOUK_OPERATOR_TOKEN: replies would reach real WhatsApp numbers")
	}
	if cfg.hook.Authenticated() && cfg.hook.OperatorToken == "" {
		// The simulator signs its webhooks: open, it would let anyone past
		// the webhook authentication.
		if cfg.simulator {
			return nil, nil, errors.New("--simulator with WEBHOOK_APP_SECRET or WEBHOOK_TOKEN set needs SOUK_OPERATOR_TOKEN: it signs its webhooks")
		}
		log.Warn("web simulator off: webhooks are authenticated and SOUK_OPERATOR_TOKEN is unset (the simulator signs its webhooks); set it to use the simulator")
		return nil, sender, nil
	}
	conv, ok := st.(simulator.Conversations)
	if !ok {
		return nil, nil, errors.New("the simulator needs a store that can delete conversations")
	}
	feed := simulator.NewFeed(256)
	if isDry {
		dry.OnSend = chainOnSend(dry.OnSend, feed.OnSend)
	} else {
		sender = kaleyra.Observed{Sender: sender, Config: cfg.kaleyra, OnSend: feed.OnSend}
	}
	start := current()
	sim, err := simulator.New(simulator.Config{Feed: feed, Conversations: conv, FlowName: start.Name, Live: !isDry,
		Products: flowProducts(current), Currency: catalogCurrency(start.Products),
		Business:  simulator.Business{DisplayPhoneNumber: cfg.kaleyra.Number, PhoneNumberID: "simulator"},
		AppSecret: cfg.hook.AppSecret, Token: cfg.hook.Token, TokenHeader: cfg.hook.TokenHeader, Logger: log})
	if err != nil {
		return nil, nil, err
	}
	log.Info("web simulator on", "path", "/simulator", "live", !isDry)
	return sim, sender, nil
}

// flowProducts looks products up in the products file of the flow that
// current returns at the time of the call.
func flowProducts(current func() *flows.Flow) simulator.Products {
	return simulator.ProductsFunc(func(id string) (simulator.Product, bool) {
		f := current()
		if f == nil {
			return simulator.Product{}, false
		}
		p, ok := f.Products.Lookup(id)
		return simulator.Product{Name: p.Name, Description: p.Description, Price: p.Price, Currency: p.Currency}, ok
	})
}

// catalogCurrency is the currency of the catalogue's first product, which
// the page uses for products the catalogue does not list; "" without one.
func catalogCurrency(c *catalog.Catalog) string {
	if ids := c.IDs(); len(ids) > 0 {
		p, _ := c.Lookup(ids[0])
		return p.Currency
	}
	return ""
}

// runningFlow is the flow eng runs, or start before eng exists.
func runningFlow(eng *bot.Engine, start *flows.Flow) *flows.Flow {
	if eng == nil {
		return start
	}
	return eng.Flow()
}

// chainOnSend calls a (when set) and then b.
func chainOnSend(a, b func(method, path string, body []byte)) func(method, path string, body []byte) {
	if a == nil {
		return b
	}
	return func(method, path string, body []byte) { a(method, path, body); b(method, path, body) }
}

// loopbackURL is the server's own /webhook as seen from inside: a listener
// on all interfaces is reached on 127.0.0.1 (or ::1).
func loopbackURL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return ""
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return (&url.URL{Scheme: "http", Host: net.JoinHostPort(host, port), Path: "/webhook"}).String()
}
