package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Namespace starts every metric name.
const Namespace = "souk"

// Metrics is souk's set of collectors on its own registry. It is safe for
// concurrent use; a nil *Metrics records nothing.
type Metrics struct {
	reg *prometheus.Registry

	webhooks        *prometheus.CounterVec   // outcome, envelope
	webhookDuration *prometheus.HistogramVec // outcome
	events          *prometheus.CounterVec   // kind
	transitions     *prometheus.CounterVec   // flow, from, to
	triggers        *prometheus.CounterVec   // flow, step
	fallbacks       *prometheus.CounterVec   // flow, state
	dedupHits       prometheus.Counter
	conflicts       prometheus.Counter
	webhookPanics   prometheus.Counter
	handlerRuns     *prometheus.CounterVec   // handler
	handlerErrors   *prometheus.CounterVec   // handler
	handlerPanics   *prometheus.CounterVec   // handler
	handlerDuration *prometheus.HistogramVec // handler
	sends           *prometheus.CounterVec   // kind, code
	sendDuration    *prometheus.HistogramVec // kind
	sendRetries     *prometheus.CounterVec   // kind
	deadLetters     *prometheus.CounterVec   // kind, code
	windowRefusals  *prometheus.CounterVec   // kind
	outbox          *outboxGauges
	handovers       *prometheus.CounterVec   // how
	storeDuration   *prometheus.HistogramVec // op, outcome
}

// Latency buckets in seconds: 100µs to 2.5s.
var buckets = []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}

// New returns Metrics registered on a fresh registry together with the Go
// runtime and process collectors.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.defineWebhook()
	m.defineEngine()
	m.defineSender()
	m.defineOutbox()
	m.storeDuration = m.histogram("store_duration_seconds", "Time of one store operation, by op and outcome.", "op", "outcome")
	return m
}

func (m *Metrics) defineWebhook() {
	m.webhooks = m.counter("webhooks_total", "Webhook POSTs received, by outcome and envelope.", "outcome", "envelope")
	m.webhookDuration = m.histogram("webhook_duration_seconds", "Time to handle one webhook POST, by outcome.", "outcome")
	m.webhookPanics = m.single("webhook_panics_total", "Panics the webhook server recovered from, in an event's handling or anywhere in a request.")
}

func (m *Metrics) defineEngine() {
	m.events = m.counter("events_total", "Inbound events handed to the engine, by kind.", "kind")
	m.transitions = m.counter("transitions_total", "Committed moves, by flow and from/to state.", "flow", "from", "to")
	m.triggers = m.counter("triggers_total", "Committed moves, by flow and the rule step that chose them.", "flow", "step")
	m.fallbacks = m.counter("fallbacks_total", "Moves that fell back to a state's else, by flow and state.", "flow", "state")
	m.dedupHits = m.single("dedup_hits_total", "Inbound messages dropped as already applied.")
	m.conflicts = m.single("conflict_retries_total", "Moves retried because another process moved the conversation first.")
	m.handlerRuns = m.counter("handler_runs_total", "Go handler runs, by handler.", "handler")
	m.handlerErrors = m.counter("handler_errors_total", "Go handler runs that failed (an error, a panic, a timeout, vars that are not JSON, a bad redirect), by handler.", "handler")
	m.handlerPanics = m.counter("handler_panics_total", "Go handler runs that panicked, by handler.", "handler")
	m.handlerDuration = m.histogram("handler_duration_seconds", "Time of one Go handler run, by handler.", "handler")
}

func (m *Metrics) defineSender() {
	m.sends = m.counter("sends_total", "Send attempts to Kaleyra, by message kind and result code.", "kind", "code")
	m.sendDuration = m.histogram("send_duration_seconds", "Time of one send attempt to Kaleyra, by message kind.", "kind")
	m.sendRetries = m.counter("send_retries_total", "Send attempts that are retries of an earlier failed one, by kind.", "kind")
	m.deadLetters = m.counter("dead_letters_total", "Replies given up on and dead-lettered, by kind and last code.", "kind", "code")
	m.windowRefusals = m.counter("window_refusals_total", "Replies refused because the shopper's 24-hour window is closed, by kind.", "kind")
}

func (m *Metrics) defineOutbox() {
	m.outbox = newOutboxGauges()
	m.reg.MustRegister(m.outbox)
	m.handovers = m.counter("outbox_handovers_total", "Committed moves with replies, by how their sender was found: leased at commit, already sending, or woken.", "how")
}

func (m *Metrics) counter(name, help string, labels ...string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: Namespace, Name: name, Help: help}, labels)
	m.reg.MustRegister(c)
	return c
}

func (m *Metrics) single(name, help string) prometheus.Counter {
	c := prometheus.NewCounter(prometheus.CounterOpts{Namespace: Namespace, Name: name, Help: help})
	m.reg.MustRegister(c)
	return c
}

func (m *Metrics) histogram(name, help string, labels ...string) *prometheus.HistogramVec {
	h := prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: Namespace, Name: name, Help: help, Buckets: buckets}, labels)
	m.reg.MustRegister(h)
	return h
}

// Registry returns the registry the collectors live on, to add more.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

func since(start time.Time) float64 { return time.Since(start).Seconds() }

// Prepare makes the series that count failures exist at zero from the
// start, so that a dashboard or alert sees 0 rather than no data: handler
// runs, errors and panics for each of handlers, and retries and 24-hour
// window refusals for each message kind. Dead letters are labelled with
// the code that ended them, known only when one happens.
func (m *Metrics) Prepare(handlers, kinds []string) {
	if m == nil {
		return
	}
	for _, h := range handlers {
		m.handlerRuns.WithLabelValues(h)
		m.handlerErrors.WithLabelValues(h)
		m.handlerPanics.WithLabelValues(h)
	}
	for _, k := range kinds {
		m.sendRetries.WithLabelValues(k)
		m.windowRefusals.WithLabelValues(k)
	}
}
