package metrics_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/metrics"
	"github.com/souk-commerce/souk/bot/outbox"
)

// Metrics is what `souk serve` gives the outbox Runner as its Observer.
var _ outbox.Observer = (*metrics.Metrics)(nil)

func TestCodeOf(t *testing.T) {
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
			if got := metrics.CodeOf(tt.res, tt.err); got != tt.want {
				t.Fatalf("CodeOf = %q, want %q", got, tt.want)
			}
		})
	}
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
