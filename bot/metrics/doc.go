// Package metrics holds souk's Prometheus collectors and the small API the
// engine, the webhook server, the sender and the outbox report through.
//
// Every label is low-cardinality: flow, state, handler, kind, code, outcome,
// envelope, op. Phone numbers and message ids never become labels.
//
// A nil *Metrics is valid and records nothing, so code paths built without
// metrics (tests, a bare engine) need no checks.
//
//	m := metrics.New()
//	eng, _ := bot.New(bot.Config{..., Metrics: m})
//	srv, _ := webhook.New(webhook.Config{..., Metrics: m})
//	// GET /metrics now serves m's registry in the Prometheus text format.
package metrics
