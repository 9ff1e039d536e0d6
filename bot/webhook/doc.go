// Package webhook is souk's HTTP side and the only package that knows echo:
// it verifies and decodes webhook deliveries, hands each event to the
// engine, and answers the platform (200 once every event is durably
// accepted, 503 when the store is down so the platform retries).
//
//	srv, err := webhook.New(webhook.Config{Engine: eng, Store: st})
//	http.ListenAndServe(":8080", srv)
package webhook
