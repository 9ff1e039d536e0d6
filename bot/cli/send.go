package cli

import (
	"time"

	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/souk-commerce/souk/bot/outbox"
	"github.com/souk-commerce/souk/store"

	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/whatsapp"
)

func init() {
	register("send", "send --flow FILE --template NAME --language CODE --product ID [--catalog ID] [--param P]... PHONE\n"+
		"                                            send the single-product template to a shopper (re-engagement)", runSend)
}

// params collects repeated --param flags.
type params []string

func (p *params) String() string     { return strings.Join(*p, ",") }
func (p *params) Set(v string) error { *p = append(*p, v); return nil }

func parseSend(env *Env, args []string) (serveConfig, bot.Reengagement, error) {
	fs := newFlags(env, "send")
	c := serveConfig{redisURL: env.Getenv("REDIS_URL"), kaleyra: kaleyra.ConfigFromEnv(env.Getenv), sendOnly: true}
	var r bot.Reengagement
	var ps params
	fs.StringVar(&c.flow, "flow", env.Getenv("SOUK_FLOW"), "flow file (its catalogue, catalog and extra_info)")
	fs.StringVar(&r.Template, "template", "", "template name")
	fs.StringVar(&r.Language, "language", "", "template language code, e.g. en_US")
	fs.StringVar(&r.Product, "product", "", "product retailer id")
	fs.StringVar(&r.Catalog, "catalog", "", "catalog id (default: the flow's)")
	fs.Var(&ps, "param", "a body parameter (repeat for each)")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return c, r, err
	}
	r.Params = ps
	switch {
	case len(rest) != 1:
		return c, r, errors.New("give exactly one PHONE")
	case c.flow == "":
		return c, r, errors.New("no flow: pass --flow FILE or set SOUK_FLOW")
	case r.Template == "" || r.Language == "" || r.Product == "":
		return c, r, fmt.Errorf("%s required (--template, --language and --product always are)", missingFlags(r))
	}
	r.To = rest[0]
	return c, r, c.storeFromEnv(env)
}

// runSend sends through the same wiring as `souk serve`, without its HTTP
// server: the same store, sender and dispatcher.
func runSend(ctx context.Context, env *Env, args []string) int {
	cfg, r, err := parseSend(env, args)
	if err != nil {
		fmt.Fprintf(env.Stderr, "souk send: %v\n", err)
		return 2
	}
	log, err := envLogger(env)
	if err != nil {
		fmt.Fprintf(env.Stderr, "souk send: %v\n", err)
		return 2
	}
	log = redactedLogger(log, cfg)
	a, err := buildApp(cfg, env, log)
	if err != nil {
		fmt.Fprintf(env.Stderr, "souk send: %v\n", err)
		return 1
	}
	defer a.close()
	a.sender.Start()
	defer stopRunner(context.Background(), a.sender, log)
	id, err := a.engine.Reengage(ctx, r)
	if err == nil {
		err = awaitDelivery(ctx, a, whatsapp.ShopperID(r.To), id)
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "souk send: %v\n", err)
		return 1
	}
	fmt.Fprintf(env.Stdout, "sent %s to %s (id %s)\n", r.Template, bot.MaskPhone(whatsapp.ShopperID(r.To)), id)
	return 0
}

// sendWait bounds how long `souk send` waits for Kaleyra to take the message.
const sendWait = 30 * time.Second

// awaitDelivery polls the outbox until the message left it: sent, or
// dead-lettered (an error with the reason). Other servers' senders may
// deliver it too; the outcome is the same.
func awaitDelivery(ctx context.Context, a *app, phone, id string) error {
	ob, ok := a.store.(store.Outbox)
	if !ok {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, sendWait)
	defer cancel()
	for {
		st, err := outbox.Lookup(ctx, ob, phone, id)
		switch {
		case err == nil && st.Status == store.StatusDead:
			return fmt.Errorf("not delivered: %s (see souk outbox list)", st.Error)
		case err == nil && st.Status != store.StatusQueued:
			return nil
		case ctx.Err() != nil:
			return fmt.Errorf("still queued after %s; a running souk serve will deliver it", sendWait)
		}
		select {
		case <-ctx.Done():
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// missingFlags names the required flags r lacks: "--language is". The
// phone (to) is an argument, checked apart.
func missingFlags(r bot.Reengagement) string {
	var flags []string
	for _, name := range r.Missing() {
		if name != "to" {
			flags = append(flags, "--"+name)
		}
	}
	if len(flags) == 1 {
		return flags[0] + " is"
	}
	return strings.Join(flags, " and ") + " are"
}
