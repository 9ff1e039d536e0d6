package webhook

import (
	"testing"

	"github.com/souk-commerce/souk/bot"
)

// TestOutcome checks the outcome the event log gives what one event did.
func TestOutcome(t *testing.T) {
	for _, tt := range []struct {
		res  bot.Result
		want string
	}{
		{bot.Result{Duplicate: true}, "duplicate"},
		{bot.Result{Ignored: bot.IgnoredAside}, "ignored: " + bot.IgnoredAside},
		{bot.Result{Status: "delivered of m1"}, "status recorded: delivered of m1"},
		{bot.Result{HandlerFailed: "check", To: "a"}, "handler failed: check"},
		{bot.Result{Trigger: bot.Reenter, From: "a", To: "a"}, "reentered"},
		{bot.Result{Trigger: bot.Trigger{Step: "gather"}, From: "a", To: "a"}, "held"},
		{bot.Result{Trigger: bot.Trigger{Step: "text"}, From: "a", To: "b"}, "moved"},
	} {
		if got := outcome(tt.res); got != tt.want {
			t.Errorf("outcome(%+v) = %q, want %q", tt.res, got, tt.want)
		}
	}
}
