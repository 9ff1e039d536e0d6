package webhook

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/bottest"
	"github.com/souk-commerce/souk/bot/metrics"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/handlers"
	"github.com/souk-commerce/souk/store"
	"github.com/souk-commerce/souk/store/storetest"
)

// fakeEngine records the events it is handed and panics on ids in panicOn.
type fakeEngine struct {
	mu      sync.Mutex
	events  []whatsapp.Event
	panicOn map[string]bool
}

func (f *fakeEngine) Handle(_ context.Context, ev whatsapp.Event) (bot.Result, error) {
	if f.panicOn[ev.ID] {
		panic("engine exploded for " + ev.From)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.events = append(f.events, ev)
	return bot.Result{Phone: ev.From}, nil
}

func (f *fakeEngine) handled() []whatsapp.Event {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]whatsapp.Event(nil), f.events...)
}

type okPinger struct{}

func (okPinger) Ping(context.Context) error { return nil }

// newLogger logs JSON at debug level into a buffer.
func newLogger() (*slog.Logger, *bottest.Buffer) {
	b := &bottest.Buffer{}
	return slog.New(slog.NewJSONHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug})), b
}

// newFakeServer builds a server on a fake engine.
func newFakeServer(t *testing.T, cfg Config) (*Server, *fakeEngine, *bottest.Buffer) {
	t.Helper()
	eng := &fakeEngine{panicOn: map[string]bool{}}
	log, buf := newLogger()
	cfg.Engine, cfg.Store, cfg.Logger = eng, okPinger{}, log
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return srv, eng, buf
}

// realServer is a server on a real engine over the embedded Redis.
type realServer struct {
	*Server
	store store.Store
	sent  *bottest.Dispatcher
	logs  *bottest.Buffer
}

// newRealServer builds a server running flowYAML (or the pizzeria when
// empty) on an engine over miniredis.
func newRealServer(t testing.TB, flowYAML string) *realServer {
	t.Helper()
	file, data := "../../examples/pizzeria/flow.yaml", []byte(nil)
	if flowYAML == "" {
		var err error
		if data, err = os.ReadFile(file); err != nil {
			t.Fatal(err)
		}
	} else {
		file, data = "test.yaml", []byte(flowYAML)
	}
	reg := handlers.NewRegistry()
	handlers.RegisterBuiltins(reg)
	f, diags := flows.Parse(file, data, flows.Options{HasHandler: reg.Has})
	if diags.HasErrors() {
		t.Fatalf("flow: %s", diags)
	}
	st := storetest.Miniredis(t)
	log, buf := newLogger()
	rec := &bottest.Dispatcher{}
	eng, err := bot.New(bot.Config{Flow: f, Store: st, Dispatcher: rec, Handlers: reg, Logger: log, Clock: fixtureClock})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Engine: eng, Store: st, Logger: log, Metrics: metrics.New()})
	if err != nil {
		t.Fatal(err)
	}
	return &realServer{Server: srv, store: st, sent: rec, logs: buf}
}

// post sends body to POST /webhook with headers and returns the answer.
func post(h http.Handler, body string, headers ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/webhook", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// errorBody decodes a JSON error answer, failing when it is not one.
func errorBody(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	var b struct {
		Error string `json:"error"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil || b.Error == "" {
		t.Fatalf("answer %d is not a JSON error: %q", rec.Code, rec.Body.String())
	}
	return b.Error
}

// metaMessage is a Meta envelope with one message from phone; msg is the
// message's type-specific JSON fields.
func metaMessage(phone, id, msg string) string {
	return metaBatch(phone, fmt.Sprintf(`{"from":%q,"id":%q,"timestamp":"1763712000",%s}`, phone, id, msg))
}

// metaBatch is a Meta envelope holding the given message objects.
func metaBatch(phone string, msgs ...string) string {
	return `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{` +
		`"messaging_product":"whatsapp","metadata":{"display_phone_number":"919800011122","phone_number_id":"555"},` +
		`"contacts":[{"profile":{"name":"Asha"},"wa_id":"` + phone + `"}],"messages":[` + strings.Join(msgs, ",") + `]}}]}]}`
}

// textMsg is the type-specific part of a text message.
func textMsg(body string) string {
	b, _ := json.Marshal(body)
	return `"type":"text","text":{"body":` + string(b) + `}`
}

// engineFlowStart returns the messages the flow's start state sends.
func (rs *realServer) engineFlowStart(t *testing.T) []flows.Send {
	t.Helper()
	f := rs.cfg.Engine.(*bot.Engine).Flow()
	return f.States[f.Start.State].Send
}

// fixtureClock stands a minute after the timestamp the test webhooks carry
// (1763712000), so replies fall inside the 24-hour customer-service window.
func fixtureClock() time.Time { return time.Unix(1763712060, 0) }

// panicsCounted reads souk_webhook_panics_total from srv's /metrics; srv
// must have Config.Metrics.
func panicsCounted(t testing.TB, srv http.Handler) int {
	t.Helper()
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	for _, line := range strings.Split(rec.Body.String(), "\n") {
		if v, ok := strings.CutPrefix(line, "souk_webhook_panics_total "); ok {
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("souk_webhook_panics_total: %v", err)
			}
			return int(n)
		}
	}
	t.Fatalf("no souk_webhook_panics_total in /metrics (%d):\n%s", rec.Code, rec.Body)
	return 0
}
