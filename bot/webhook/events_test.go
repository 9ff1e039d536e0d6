package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/bottest"
	"github.com/souk-commerce/souk/bot/metrics"
	"github.com/souk-commerce/souk/bot/whatsapp"
)

const elseFlow = `
flow: t
start: a
states:
  a:
    send: [{text: "A"}]
    on: {go: b}
    else: c
  b:
    send: [{text: "B"}]
    on: {back: a}
  c:
    send: [{text: "C"}]
    on: {back: a}
`

// TestAsidesMoveNothing checks that reactions, their removal and system
// notices are acknowledged and left alone: not even the state's else
// takes them, and nothing is sent.
func TestAsidesMoveNothing(t *testing.T) {
	asides := map[string]string{
		"reaction":         `"type":"reaction","reaction":{"message_id":"wamid.x","emoji":"👍"}`,
		"reaction removed": `"type":"reaction","reaction":{"message_id":"wamid.x","emoji":""}`,
		"system":           `"type":"system","system":{"body":"changed number","type":"user_changed_number"}`,
	}
	rs := newRealServer(t, elseFlow)
	i := 0
	for name, msg := range asides {
		i++
		t.Run(name, func(t *testing.T) {
			phone := fmt.Sprintf("4916%07d", i)
			if rec := post(rs, metaMessage(phone, "wamid.start."+name, textMsg("hi"))); rec.Code != 200 {
				t.Fatalf("start: status %d", rec.Code)
			}
			if rec := post(rs, metaMessage(phone, "wamid.aside."+name, msg)); rec.Code != 200 {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			if conv, err := rs.store.Load(context.Background(), phone); err != nil || conv.State != "a" {
				t.Fatalf("state %q (%v), want a, where the shopper was", conv.State, err)
			}
			line := findLog(t, rs.logs.String(), func(m map[string]any) bool {
				return m["msg"] == "event" && m["kind"] == "other" && m["shopper"] == maskShopper(phone)
			})
			if line["outcome"] != "ignored: "+bot.IgnoredAside || line["sent"] != 0.0 {
				t.Errorf("log line %v", line)
			}
		})
	}
}

// TestUnsupportedTypesReachElse checks that message types souk does not act
// on, asides apart, are acknowledged and routed by the rule: they reach the
// state's else, as a location or a file does in a state without a
// location or media route.
func TestUnsupportedTypesReachElse(t *testing.T) {
	kindOf := func(name string) string {
		switch name {
		case "location":
			return "location"
		case "image", "audio":
			return "media"
		}
		return "other"
	}
	tests := []struct {
		name string
		msg  string
	}{
		{"image", `"type":"image","image":{"id":"1","mime_type":"image/jpeg","caption":"go"}`}, // logged as kind media
		{"location", `"type":"location","location":{"latitude":18.5,"longitude":73.8}`},        // logged as kind location
		{"sticker", `"type":"sticker","sticker":{"id":"5"}`},
		{"unsupported", `"type":"unsupported","unsupported":{"type":"poll_creation"}`},
		{"audio", `"type":"audio","audio":{"id":"9"}`},
		{"unknown type", `"type":"hologram","hologram":{"id":"x"}`},
		{"nfm reply", `"type":"interactive","interactive":{"type":"nfm_reply","nfm_reply":{"body":"go"}}`},
	}
	rs := newRealServer(t, elseFlow)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			phone := fmt.Sprintf("4915%07d", i)
			if rec := post(rs, metaMessage(phone, "wamid.start."+tt.name, textMsg("hi"))); rec.Code != 200 {
				t.Fatalf("start: status %d", rec.Code)
			}
			rec := post(rs, metaMessage(phone, "wamid.other."+tt.name, tt.msg))
			if rec.Code != 200 {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			conv, err := rs.store.Load(context.Background(), phone)
			if err != nil {
				t.Fatal(err)
			}
			if conv.State != "c" {
				t.Fatalf("state %q, want c (the else of a)", conv.State)
			}
			line := findLog(t, rs.logs.String(), func(m map[string]any) bool {
				return m["msg"] == "event" && m["kind"] == kindOf(tt.name) && m["shopper"] == maskShopper(phone)
			})
			if line["trigger"] != "else" || line["from"] != "a" || line["to"] != "c" || line["outcome"] != "moved" {
				t.Errorf("log line %v", line)
			}
		})
	}
}

// TestInvalidPhoneRejected checks that a message whose sender is not an
// E.164 number is rejected alone, with a log line, while the other
// messages of the delivery are applied.
func TestInvalidPhoneRejected(t *testing.T) {
	tests := []struct {
		name, from string
	}{
		{"letters", "91987654321a"},
		{"too short", "9198765"},
		{"too long", "9198765432101234"},
		{"leading zero", "0919876543210"},
		{"arabic digits", "٩١٩٨٧٦٥٤٣٢١٠"},
		{"empty", ""},
		{"spaces inside", "91 98765 43210"},
	}
	rs := newRealServer(t, elseFlow)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			good := fmt.Sprintf("4420%07d", i)
			from, _ := json.Marshal(tt.from)
			bad := fmt.Sprintf(`{"from":%s,"id":"wamid.bad.%d","timestamp":"1763712000",%s}`, from, i, textMsg("hi"))
			ok := fmt.Sprintf(`{"from":%q,"id":"wamid.good.%d","timestamp":"1763712000",%s}`, good, i, textMsg("hi"))
			rec := post(rs, metaBatch(good, bad, ok))
			if rec.Code != 200 {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			if conv, _ := rs.store.Load(context.Background(), good); conv.State != "a" {
				t.Errorf("the valid message of the delivery was not applied: state %q", conv.State)
			}
			if tt.from != "" {
				if conv, _ := rs.store.Load(context.Background(), tt.from); conv.Exists() {
					t.Errorf("conversation created for %q", tt.from)
				}
			}
			line := findLog(t, rs.logs.String(), func(m map[string]any) bool {
				return m["msg"] == "event rejected: sender is not an E.164 number" && m["shopper"] == maskShopper(tt.from)
			})
			if line["level"] != "WARN" {
				t.Errorf("level %v", line["level"])
			}
		})
	}
}

// TestPanicRecovered checks that a panic in handling one event is
// recovered, logged with a stack, counted, and loses no other event.
func TestPanicRecovered(t *testing.T) {
	srv, eng, logs := newFakeServer(t, Config{Metrics: metrics.New()})
	eng.panicOn["wamid.boom"] = true
	const phone = "919876543210"
	msgs := []string{
		fmt.Sprintf(`{"from":%q,"id":"wamid.1","timestamp":"1763712000",%s}`, phone, textMsg("one")),
		fmt.Sprintf(`{"from":%q,"id":"wamid.boom","timestamp":"1763712000",%s}`, phone, textMsg("two")),
		fmt.Sprintf(`{"from":%q,"id":"wamid.3","timestamp":"1763712000",%s}`, phone, textMsg("three")),
	}
	rec := post(srv, metaBatch(phone, msgs...))
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var ids []string
	for _, ev := range eng.handled() {
		ids = append(ids, ev.ID)
	}
	if strings.Join(ids, ",") != "wamid.1,wamid.3" {
		t.Fatalf("handled %v, want wamid.1 and wamid.3", ids)
	}
	if n := panicsCounted(t, srv); n != 1 {
		t.Fatalf("%d panics counted, want 1", n)
	}
	line := findLog(t, logs.String(), func(m map[string]any) bool { return m["level"] == "ERROR" })
	stack, _ := line["stack"].(string)
	if !strings.Contains(stack, "goroutine") || !strings.Contains(line["panic"].(string), "exploded") {
		t.Errorf("panic line without panic value or stack: %v", line)
	}
	if strings.Contains(logs.String(), phone) {
		t.Errorf("full phone number in the logs")
	}
	// The process is still up: the next delivery is served.
	if rec := post(srv, metaMessage(phone, "wamid.4", textMsg("four"))); rec.Code != 200 {
		t.Fatalf("after the panic: status %d", rec.Code)
	}
}

// TestRequestLogLine checks the one line logged per webhook delivery: at
// debug for a delivery whose events were all applied (they have lines of
// their own), at info or above otherwise.
func TestRequestLogLine(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		body    string
		status  int
		level   string
		outcome string
	}{
		{"delivered", Config{}, metaMessage("919876543210", "wamid.l1", textMsg("hi")), 200, "DEBUG", "ok"},
		{"unknown envelope", Config{}, `{}`, 200, "INFO", "ignored: unknown envelope"},
		{"malformed", Config{}, `{`, 400, "WARN", ""},
		{"unauthenticated", Config{Token: "t"}, `{}`, 401, "WARN", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _, logs := newFakeServer(t, tt.cfg)
			rec := post(srv, tt.body)
			rid := rec.Header().Get(HeaderRequestID)
			if rec.Code != tt.status || len(rid) != 16 {
				t.Fatalf("status %d, request id %q", rec.Code, rid)
			}
			line := findLog(t, logs.String(), func(m map[string]any) bool { return m["msg"] == "webhook" })
			if line["request_id"] != rid || line["level"] != tt.level || line["status"] != float64(tt.status) {
				t.Errorf("line %v", line)
			}
			if tt.outcome != "" && line["outcome"] != tt.outcome {
				t.Errorf("outcome %v, want %q", line["outcome"], tt.outcome)
			}
			if tt.status >= 400 && line["error"] == nil {
				t.Errorf("no error in %v", line)
			}
			for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
				if !strings.Contains(l, rid) {
					t.Errorf("line without the request id: %s", l)
				}
			}
		})
	}
}

// TestNotFoundLogsItsPath checks that a request no route matched is logged
// with the path it asked for.
func TestNotFoundLogsItsPath(t *testing.T) {
	srv, _, logs := newFakeServer(t, Config{})
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/no/such/route", nil))
	if rec.Code != http.StatusNotFound {
		t.Fatalf("status %d", rec.Code)
	}
	line := findLog(t, logs.String(), func(m map[string]any) bool { return m["msg"] == "request" })
	if line["path"] != "/no/such/route" || line["status"] != float64(404) {
		t.Errorf("line %v", line)
	}
}

// TestOneInfoLinePerEvent checks that, at the default level, a delivery
// whose events were all applied is logged by its event lines alone, each
// with the delivery's request id.
func TestOneInfoLinePerEvent(t *testing.T) {
	b := &bottest.Buffer{}
	log := slog.New(slog.NewJSONHandler(b, &slog.HandlerOptions{Level: slog.LevelInfo}))
	eng := &fakeEngine{panicOn: map[string]bool{}}
	srv, err := New(Config{Engine: eng, Store: okPinger{}, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	rec := post(srv, metaMessage("919876543210", "wamid.one", textMsg("hi")))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("%d lines, want the event's alone:\n%s", len(lines), b.String())
	}
	line := findLog(t, lines[0], func(m map[string]any) bool { return m["msg"] == "event" })
	if line["request_id"] != rec.Header().Get(HeaderRequestID) || line["level"] != "INFO" {
		t.Errorf("line %v", line)
	}
}

// storeDown is an Engine whose store cannot be reached.
type storeDown struct{}

func (storeDown) Handle(context.Context, whatsapp.Event) (bot.Result, error) {
	return bot.Result{}, errors.New("redis: connection refused")
}

// TestStoreDownNotLoggedOK checks that a delivery answered 503 because the
// store failed is not logged or counted as ok.
func TestStoreDownNotLoggedOK(t *testing.T) {
	log, logs := newLogger()
	srv, err := New(Config{Engine: storeDown{}, Store: okPinger{}, Logger: log, Metrics: metrics.New()})
	if err != nil {
		t.Fatal(err)
	}
	rec := post(srv, metaMessage("919876543210", "wamid.down", textMsg("hi")))
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503: %s", rec.Code, rec.Body)
	}
	line := findLog(t, logs.String(), func(m map[string]any) bool { return m["msg"] == "webhook" })
	if out, _ := line["outcome"].(string); !strings.HasPrefix(out, "unavailable") || line["level"] != "ERROR" {
		t.Errorf("line %v, want level ERROR and outcome unavailable", line)
	}
	metricsRec := httptest.NewRecorder()
	srv.ServeHTTP(metricsRec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if want := `souk_webhooks_total{envelope="meta",outcome="unavailable"} 1`; !strings.Contains(metricsRec.Body.String(), want) {
		t.Errorf("/metrics lacks %s", want)
	}
}

// findLog returns the first JSON log line for which match is true.
func findLog(t *testing.T, logs string, match func(map[string]any) bool) map[string]any {
	t.Helper()
	for _, l := range strings.Split(logs, "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) == nil && match(m) {
			return m
		}
	}
	t.Fatalf("no matching log line in:\n%s", logs)
	return nil
}

// TestPanicOutsideEventsIs500 checks that a panic anywhere else in a
// request is answered 500 with a JSON body, counted, and the server goes on.
func TestPanicOutsideEventsIs500(t *testing.T) {
	srv, _, logs := newFakeServer(t, Config{Metrics: metrics.New()})
	srv.Echo().GET("/explode", func(echo.Context) error { panic("kaput") })
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/explode", nil))
	if rec.Code != 500 || errorBody(t, rec) != "internal error" {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if n := panicsCounted(t, srv); n != 1 || !strings.Contains(logs.String(), "kaput") || !strings.Contains(logs.String(), "goroutine") {
		t.Fatalf("panics %d, logs:\n%s", n, logs)
	}
	if rec := post(srv, `{}`); rec.Code != 200 {
		t.Fatalf("after the panic: status %d", rec.Code)
	}
}

// TestAnswerBodies checks the JSON a webhook is answered with.
func TestAnswerBodies(t *testing.T) {
	srv, _, _ := newFakeServer(t, Config{})
	for body, want := range map[string]string{
		metaMessage("919876543210", "wamid.a1", textMsg("hi")): `{"status":"ok"}`,
		`{}`: `{"status":"ignored"}`,
	} {
		rec := post(srv, body)
		if rec.Code != http.StatusOK || rec.Body.String() != want+"\n" || rec.Header().Get("Content-Type") != "application/json" {
			t.Errorf("answer %d %q (%s), want 200 %q", rec.Code, rec.Body.String(), rec.Header().Get("Content-Type"), want)
		}
	}
}

// TestPlatformErrorsReachTheLog checks that an error about no message, in
// a Meta webhook's value or in a Kaleyra notice without ids, is
// acknowledged and logged as a warning with its code and title.
func TestPlatformErrorsReachTheLog(t *testing.T) {
	bodies := map[string]string{
		"131000": `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
			"messaging_product":"whatsapp","metadata":{"display_phone_number":"919800011122","phone_number_id":"555"},
			"errors":[{"code":131000,"title":"Something went wrong","message":"Something went wrong"}]}}]}]}`,
		"WAV2101": `{"code":"WAV2101","status":"not sent","reason":"Account daily limit reached"}`,
	}
	rs := newRealServer(t, elseFlow)
	for code, body := range bodies {
		if rec := post(rs, body); rec.Code != 200 {
			t.Fatalf("%s: status %d: %s", code, rec.Code, rec.Body)
		}
		line := findLog(t, rs.logs.String(), func(m map[string]any) bool {
			return m["msg"] == "the platform reported an error about no message" && m["code"] == code
		})
		if line["level"] != "WARN" || line["title"] == "" {
			t.Errorf("%s: log line %v", code, line)
		}
	}
}
