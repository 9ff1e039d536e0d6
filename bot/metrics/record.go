package metrics

import (
	"time"
)

// Outcomes of a webhook POST.
const (
	OutcomeOK           = "ok"          // every event applied
	OutcomeIgnored      = "ignored"     // well-formed, nothing to act on
	OutcomeBadRequest   = "bad_request" // malformed JSON or unreadable body
	OutcomeUnauthorized = "unauthorized"
	OutcomeTooLarge     = "too_large"
	OutcomeUnavailable  = "unavailable" // the store failed; the platform retries
	OutcomeError        = "error"
)

// Webhook records one webhook POST: its outcome, the envelope it came in
// ("none" when it was not decoded) and how long it took from start.
func (m *Metrics) Webhook(outcome, envelope string, start time.Time) {
	if m == nil {
		return
	}
	if envelope == "" {
		envelope = "none"
	}
	m.webhooks.WithLabelValues(outcome, envelope).Inc()
	m.webhookDuration.WithLabelValues(outcome).Observe(since(start))
}

// WebhookPanic records a panic the webhook server recovered from.
func (m *Metrics) WebhookPanic() {
	if m == nil {
		return
	}
	m.webhookPanics.Inc()
}

// Event records one inbound event of kind handed to the engine.
func (m *Metrics) Event(kind string) {
	if m == nil {
		return
	}
	m.events.WithLabelValues(kind).Inc()
}

// Move records one committed move of flow from state from to state to,
// chosen by rule step (start, on, keyword, order, text, else, reenter);
// step else also counts a fallback from from.
func (m *Metrics) Move(flow, step, from, to string) {
	if m == nil {
		return
	}
	m.transitions.WithLabelValues(flow, from, to).Inc()
	m.triggers.WithLabelValues(flow, step).Inc()
	if step == "else" {
		m.fallbacks.WithLabelValues(flow, from).Inc()
	}
}

// Unmoved records a message that took a trigger step without moving
// between states: gather (typed text held as part of an answer) or stale
// (a tap repeating one already taken, ignored).
func (m *Metrics) Unmoved(flow, step string) {
	if m == nil {
		return
	}
	m.triggers.WithLabelValues(flow, step).Inc()
}

// DedupHit records an inbound message dropped as already applied.
func (m *Metrics) DedupHit() {
	if m == nil {
		return
	}
	m.dedupHits.Inc()
}

// ConflictRetry records a move retried after a version conflict.
func (m *Metrics) ConflictRetry() {
	if m == nil {
		return
	}
	m.conflicts.Inc()
}

// How a committed move's replies found their sender (Handover's how).
const (
	HandoverLeased  = "leased"  // the commit leased the outbox for this process's sender
	HandoverSending = "sending" // a sender already held the outbox and goes on to them
	HandoverWoken   = "woken"   // a sender was woken to lease the outbox
)

// Handover records how a committed move's replies found their sender.
func (m *Metrics) Handover(how string) {
	if m == nil {
		return
	}
	m.handovers.WithLabelValues(how).Inc()
}

// HandlerRun records one run of the named Go handler that began at start;
// err is its error (nil on success) and panicked whether it panicked.
func (m *Metrics) HandlerRun(name string, start time.Time, err error, panicked bool) {
	if m == nil {
		return
	}
	m.handlerRuns.WithLabelValues(name).Inc()
	m.handlerDuration.WithLabelValues(name).Observe(since(start))
	if err != nil {
		m.handlerErrors.WithLabelValues(name).Inc()
	}
	if panicked {
		m.handlerPanics.WithLabelValues(name).Inc()
	}
}

// Send records one send attempt of a message of kind that began at start
// and ended with code: the HTTP status of a success ("202"), Kaleyra's
// error code ("WA400"), "transport" or "invalid" (see kaleyra.CodeOf).
func (m *Metrics) Send(kind, code string, start time.Time) {
	if m == nil {
		return
	}
	m.sends.WithLabelValues(kind, code).Inc()
	m.sendDuration.WithLabelValues(kind).Observe(since(start))
}

// SendRetry records that an attempt about to be made repeats a failed one.
func (m *Metrics) SendRetry(kind string) {
	if m == nil {
		return
	}
	m.sendRetries.WithLabelValues(kind).Inc()
}

// DeadLetter records a reply given up on after its last attempt's code.
func (m *Metrics) DeadLetter(kind, code string) {
	if m == nil {
		return
	}
	m.deadLetters.WithLabelValues(kind, code).Inc()
}

// WindowRefusal records a reply not sent because the shopper's 24-hour
// customer-service window is closed.
func (m *Metrics) WindowRefusal(kind string) {
	if m == nil {
		return
	}
	m.windowRefusals.WithLabelValues(kind).Inc()
}

// Outbox sets the outbox gauges: replies waiting and the age of the
// oldest. A negative depth, for a store that could not be read, takes both
// out of scrapes until the next reading.
func (m *Metrics) Outbox(depth int, oldest time.Duration) {
	if m == nil {
		return
	}
	m.outbox.set(depth, oldest)
}

// Store records one store operation op (load, seen, commit, ...) that
// began at start and ended with outcome (ok, conflict, duplicate, error).
func (m *Metrics) Store(op, outcome string, start time.Time) {
	if m == nil {
		return
	}
	m.storeDuration.WithLabelValues(op, outcome).Observe(since(start))
}
