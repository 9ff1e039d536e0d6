package cli

import (
	"errors"
	"log/slog"
	"net"
	"net/url"

	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/simulator"
	"github.com/souk-commerce/souk/store"
)

// withSimulator builds the web simulator when it is on: always with the
// dry-run sender, and with a real sender only for --simulator, behind the
// operator token. It returns the sender to use, which feeds the page.
func withSimulator(cfg serveConfig, sender kaleyra.Sender, st store.Store, flowName string, log *slog.Logger) (*simulator.Simulator, kaleyra.Sender, error) {
	dry, isDry := sender.(*kaleyra.DryRun)
	if !isDry && !cfg.simulator {
		return nil, sender, nil
	}
	if !isDry && cfg.hook.OperatorToken == "" {
		return nil, nil, errors.New("--simulator with a real Kaleyra sender needs SOUK_OPERATOR_TOKEN: replies would reach real WhatsApp numbers")
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
	sim, err := simulator.New(simulator.Config{Feed: feed, Conversations: conv, FlowName: flowName, Live: !isDry,
		Business:  simulator.Business{DisplayPhoneNumber: cfg.kaleyra.Number, PhoneNumberID: "simulator"},
		AppSecret: cfg.hook.AppSecret, Token: cfg.hook.Token, TokenHeader: cfg.hook.TokenHeader, Logger: log})
	if err != nil {
		return nil, nil, err
	}
	log.Info("web simulator on", "path", "/simulator", "live", !isDry)
	return sim, sender, nil
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
