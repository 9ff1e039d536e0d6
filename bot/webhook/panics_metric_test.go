package webhook

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/souk-commerce/souk/bot/metrics"
)

// TestPanicsMetric checks that both kinds of recovered panic move
// souk_webhook_panics_total.
func TestPanicsMetric(t *testing.T) {
	m := metrics.New()
	srv, eng, _ := newFakeServer(t, Config{Metrics: m})
	eng.panicOn["wamid.boom"] = true
	srv.Echo().GET("/explode", func(echo.Context) error { panic("kaput") })
	const phone = "919876543210"
	steps := []struct {
		name string
		do   func() int
		want string
	}{
		{"none yet", func() int { return 200 }, "souk_webhook_panics_total 0"},
		{"in an event", func() int {
			return post(srv, metaBatch(phone, fmt.Sprintf(`{"from":%q,"id":"wamid.boom","timestamp":"1763712000",%s}`, phone, textMsg("x")))).Code
		}, "souk_webhook_panics_total 1"},
		{"in a request", func() int {
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/explode", nil))
			return rec.Code
		}, "souk_webhook_panics_total 2"},
	}
	for i, s := range steps {
		code := s.do()
		if (i == 2) != (code == 500) {
			t.Fatalf("%s: status %d", s.name, code)
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
		if !strings.Contains(rec.Body.String(), "\n"+s.want+"\n") {
			t.Fatalf("%s: /metrics lacks %q", s.name, s.want)
		}
		if strings.Contains(rec.Body.String(), phone) {
			t.Fatalf("%s: /metrics mentions the phone number", s.name)
		}
	}
}
