package metrics_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/metrics"
	"github.com/souk-commerce/souk/bot/outbox"
	"github.com/souk-commerce/souk/bot/whatsapp"
)

// Metrics is what `souk serve` gives the outbox Runner as its Observer.
var _ outbox.Observer = (*metrics.Metrics)(nil)

// answer is a kaleyra.Sender that answers every send with res and err.
type answer struct {
	res kaleyra.Result
	err error
}

func (a answer) Send(context.Context, whatsapp.Outbound) (kaleyra.Result, error) { return a.res, a.err }

// TestSenderCodeLabel checks the code label Sender gives each kind of
// answer.
func TestSenderCodeLabel(t *testing.T) {
	tests := []struct {
		name string
		res  kaleyra.Result
		err  error
		want string
	}{
		{"accepted", kaleyra.Result{Status: 202}, nil, "202"},
		{"kaleyra code", kaleyra.Result{}, &kaleyra.APIError{Status: 400, Code: "WA400"}, "WA400"},
		{"wrapped code", kaleyra.Result{}, fmt.Errorf("send: %w", &kaleyra.APIError{Status: 401, Code: "RBC001"}), "RBC001"},
		{"no code", kaleyra.Result{}, &kaleyra.APIError{Status: 502}, "http_502"},
		{"transport", kaleyra.Result{}, &kaleyra.TransportError{Err: errors.New("refused")}, "transport"},
		{"unbuildable", kaleyra.Result{}, errors.New("kaleyra: building request"), "invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := metrics.New()
			s := metrics.Sender{Inner: answer{tt.res, tt.err}, Metrics: m}
			_, _ = s.Send(context.Background(), whatsapp.Outbound{Message: whatsapp.Text{Body: "hi"}})
			want := `souk_sends_total{code="` + tt.want + `",kind="text"} 1`
			if out := scrape(t, m); !strings.Contains(out, want+"\n") {
				t.Fatalf("/metrics lacks %s", want)
			}
		})
	}
}

func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	return rec.Body.String()
}

// TestNilMetrics checks that code built without metrics can call every
// recorder.
func TestNilMetrics(t *testing.T) {
	var m *metrics.Metrics
	now := time.Now()
	m.Webhook(metrics.OutcomeOK, "meta", now)
	m.WebhookPanic()
	m.Event("text")
	m.Move("f", "else", "a", "b")
	m.DedupHit()
	m.ConflictRetry()
	m.HandlerRun("h", now, errors.New("x"), true)
	m.Send("text", "202", now)
	m.SendRetry("text")
	m.DeadLetter("text", "WA500")
	m.WindowRefusal("text")
	m.Outbox(3, time.Second)
	m.Store("load", "ok", now)
	m.Handover(metrics.HandoverLeased)
}

// TestOutboxGaugesAbsentWhenUnread checks that the outbox gauges leave the
// scrape while the store cannot be read (depth -1), rather than repeat the
// last figure, and come back with the next reading.
func TestOutboxGaugesAbsentWhenUnread(t *testing.T) {
	m := metrics.New()
	m.Outbox(3, 90*time.Second)
	if out := scrape(t, m); !strings.Contains(out, "souk_outbox_depth 3\n") || !strings.Contains(out, "souk_outbox_oldest_age_seconds 90\n") {
		t.Fatalf("after a reading:\n%s", out)
	}
	m.Outbox(-1, 0)
	if out := scrape(t, m); strings.Contains(out, "souk_outbox_depth") || strings.Contains(out, "souk_outbox_oldest_age_seconds") {
		t.Fatalf("the gauges are still there with the store unread:\n%s", out)
	}
	m.Outbox(0, 0)
	if out := scrape(t, m); !strings.Contains(out, "souk_outbox_depth 0\n") {
		t.Fatalf("after the store came back:\n%s", out)
	}
}
