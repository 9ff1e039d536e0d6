package webhook

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/bottest"
	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/kaleyra/kaleyratest"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/handlers"
	"github.com/souk-commerce/souk/store/storetest"
)

// Secrets and personal data of the scripted conversation: none may show up
// in the logs.
const (
	apiKey      = "kal-APIKEY-0f9e8d7c6b5a"
	appSecret   = "meta-APPSECRET-1a2b3c"
	verifyToken = "VERIFYTOKEN-77aa"
	hookToken   = "Bearer HOOKTOKEN-5e6f"
	shopper     = "919876543210"
	textMarker  = "TYPEDTEXT-marker"
)

const safetyFlow = `
flow: safety
start: welcome
catalog: "1033000049"
keywords: {menu: welcome}
states:
  welcome:
    send:
      - text: "Hi {{.Contact.Name}}, your number {{.Phone}} is with us"
    on: {fail: fail, bad: bad, boom: boom, order: thanks}
    order: thanks
  fail:
    run: failing
    send: [{text: never}]
  bad:
    send:
      - text: "{{slice .Phone 99}}"
  boom:
    send: [{text: "KABOOM"}]
  thanks:
    run: order_summary
    send: [{text: "Thanks {{.Contact.Name}}"}]
`

// fakeKaleyra answers like Kaleyra: accepted, then an invalid-key error that
// echoes the key, then a server error echoing it, then accepted again.
func fakeKaleyra(t *testing.T) *kaleyratest.Listener {
	k := kaleyratest.Run(t)
	k.SetRespond(func(n int, r kaleyratest.Request) kaleyratest.Answer {
		switch n {
		case 2:
			return kaleyratest.Answer{Status: http.StatusUnauthorized, Body: fmt.Sprintf(`{"code":"WA401","message":"api-key %s is not valid"}`, r.Header.Get("api-key"))}
		case 3:
			return kaleyratest.Answer{Status: http.StatusInternalServerError, Body: fmt.Sprintf(`{"code":"WA500","message":"upstream said %s"}`, r.Header.Get("api-key"))}
		}
		return kaleyratest.Answer{Status: http.StatusAccepted, Body: `{"data":[{"message_id":"k-1"}]}`}
	})
	return k
}

// kaboom is a Dispatcher that panics on the boom state's message, with the
// shopper's number in the panic value.
type kaboom struct{ next bot.Dispatcher }

func (k kaboom) Dispatch(ctx context.Context, msgs []whatsapp.Outbound) error {
	for _, m := range msgs {
		if t, ok := m.Message.(whatsapp.Text); ok && t.Body == "KABOOM" {
			panic("dispatch exploded for " + m.To)
		}
	}
	return k.next.Dispatch(ctx, msgs)
}

// scriptedServer wires a real engine, the Kaleyra client and the webhook
// with every secret set, logging to logger.
func scriptedServer(t *testing.T, logger *slog.Logger, dryRun bool) *Server {
	t.Helper()
	reg := handlers.NewRegistry()
	handlers.RegisterBuiltins(reg)
	reg.Register("failing", handlers.Func(func(_ context.Context, c *handlers.Conversation) error {
		return errors.New("stock lookup failed for " + c.Phone)
	}))
	f, diags := flows.Parse("safety.yaml", []byte(safetyFlow), flows.Options{HasHandler: reg.Has})
	if diags.HasErrors() {
		t.Fatalf("flow: %s", diags)
	}
	st := storetest.Miniredis(t)
	kcfg := kaleyra.Config{APIKey: apiKey, SID: "HXAP1", Number: "919800011122", WABAID: "1029", BaseURL: fakeKaleyra(t).URL}
	var client kaleyra.Sender = kaleyra.NewDryRun(logger, kcfg)
	if !dryRun {
		c, err := kaleyra.New(kcfg)
		if err != nil {
			t.Fatal(err)
		}
		client = c
	}
	eng, err := bot.New(bot.Config{Flow: f, Store: st, Handlers: reg, Logger: logger, Clock: fixtureClock,
		Dispatcher: kaboom{next: bot.Direct{Sender: client, Log: logger}}})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Engine: eng, Store: st, Logger: logger, VerifyToken: verifyToken,
		AppSecret: appSecret, Token: hookToken, TokenHeader: "Authorization"})
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// runScript plays a conversation with every kind of error through srv and
// returns the statuses it got.
func runScript(t *testing.T, srv *Server) []int {
	t.Helper()
	signed := func(body string) []string {
		return []string{"Authorization", hookToken, "X-Hub-Signature-256", sign(body, appSecret)}
	}
	msg := func(id, m string) string { return metaMessage(shopper, id, m) }
	var codes []int
	deliver := func(body string, headers ...string) {
		codes = append(codes, post(srv, body, headers...).Code)
	}
	get := func(q string) {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/webhook?"+q, nil))
		codes = append(codes, rec.Code)
	}
	get("hub.mode=subscribe&hub.verify_token=" + verifyToken + "&hub.challenge=42")
	get("hub.mode=subscribe&hub.verify_token=" + verifyToken + "x&hub.challenge=42")
	hello := msg("wamid.s1", textMsg("hello "+textMarker))
	deliver(hello)                                                                                // no credentials
	deliver(hello, "Authorization", hookToken)                                                    // no signature
	deliver(hello, "Authorization", hookToken+"x", "X-Hub-Signature-256", sign(hello, appSecret)) // wrong token
	deliver(hello, "Authorization", hookToken, "X-Hub-Signature-256", sign(hello, appSecret+"x")) // wrong secret
	deliver(hello, signed(hello)...)                                                              // -> welcome (sent)
	for i, step := range []string{"menu " + textMarker, "fail", "menu", "bad", "menu", "boom", "menu"} {
		b := msg(fmt.Sprintf("wamid.s%d", i+2), textMsg(step))
		deliver(b, signed(b)...)
	}
	deliver(hello, signed(hello)...) // duplicate
	order := msg("wamid.o1", `"type":"order","order":{"catalog_id":"1033000049","text":"`+textMarker+`","product_items":[{"product_retailer_id":"pz-1","quantity":2,"item_price":9.5,"currency":"EUR"}]}`)
	deliver(order, signed(order)...)
	for _, b := range []string{
		`{"object":"whatsapp_business_account","entry":[` + textMarker,
		metaBatch(shopper, `{"from":"91987654321x","id":"wamid.x","type":"text","text":{"body":"`+textMarker+`"}}`),
		msg("wamid.img", `"type":"image","image":{"id":"1","caption":"`+textMarker+`"}`),
		`{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"statuses":[{"id":"wamid.out","status":"failed","recipient_id":"` + shopper + `","errors":[{"code":131047,"title":"Re-engagement"}]}]}}]}]}`,
	} {
		deliver(b, signed(b)...)
	}
	return codes
}

func TestLogsLeakNothing(t *testing.T) {
	wantCodes := "200,403,401,401,401,401,200,200,200,200,200,200,200,200,200,200,400,200,200,200"
	tests := []struct {
		name   string
		level  slog.Level
		dryRun bool
	}{
		{"info", slog.LevelInfo, false},
		{"debug", slog.LevelDebug, false},
		{"dry run", slog.LevelInfo, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buf := &bottest.Buffer{}
			logger := slog.New(slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: tt.level}))
			srv := scriptedServer(t, logger, tt.dryRun)
			codes := runScript(t, srv)
			if got := strings.Trim(strings.Join(strings.Fields(fmt.Sprint(codes)), ","), "[]"); got != wantCodes {
				t.Errorf("statuses %s\nwant     %s", got, wantCodes)
			}
			logs := buf.String()
			for _, secret := range []string{apiKey, appSecret, verifyToken, hookToken, "HOOKTOKEN", shopper, "9876543210"} {
				if strings.Contains(logs, secret) {
					t.Errorf("%q appears in the logs:\n%s", secret, grepLines(logs, secret))
				}
			}
			if strings.Contains(logs, textMarker) {
				t.Errorf("message text in the logs:\n%s", grepLines(logs, textMarker))
			}
			// The script did reach every error path.
			wants := []string{`"msg":"handler failed; conversation stays"`, `"msg":"message not sent: rendering failed","at":"safety.yaml","line":`,
				`panic while handling an event`, `event rejected: sender is not an E.164 number`,
				`"outcome":"duplicate"`, `"status":401`, `"status":400`, `"status":403`}
			if tt.dryRun {
				wants = append(wants, `"msg":"kaleyra dry run"`, `your number ********3210 is with us`)
			} else {
				wants = append(wants, `"msg":"reply not sent"`, `[redacted]`)
			}
			for _, want := range wants {
				if !strings.Contains(logs, want) {
					t.Errorf("no %s in the logs:\n%s", want, logs)
				}
			}
		})
	}
}

func grepLines(logs, s string) string {
	var out []string
	for _, l := range strings.Split(logs, "\n") {
		if strings.Contains(l, s) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
