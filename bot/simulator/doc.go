// Package simulator is souk's web simulator: a phone-like chat page, served
// at /simulator, that shows a flow the way a shopper sees it on WhatsApp and
// lets a merchant click through it without a WhatsApp account.
//
// It is plain HTML, CSS and JavaScript embedded with go:embed (no build
// step, nothing loaded from the internet) plus a small JSON API:
//
//	GET    /simulator                    the page
//	GET    /simulator/assets/{file}      its script and style sheet
//	GET    /simulator/info               flow name and status, mode, defaults
//	GET    /simulator/events?phone=P     server-sent events: every outbound request to P, and the flow's status
//	POST   /simulator/send               a shopper's action -> a real webhook
//	GET    /simulator/conversation?phone=P   state, vars, last order, handed_off, held
//	DELETE /simulator/conversation?phone=P   forget the conversation (start over)
//
// Outbound requests reach the page through a Feed: hook Feed.OnSend into the
// dry-run sender (kaleyra.DryRun.OnSend) or around a real one
// (kaleyra.Observed). What the shopper does on the page becomes a Meta
// webhook envelope that the simulator POSTs to the server's own /webhook over
// loopback HTTP, signed with the app secret or carrying the webhook token
// when those are configured, so every tap goes through exactly the
// production path: authentication, decoding, dedup, the state machine, the
// store and the sender. The secret never reaches the browser.
//
// The simulator is an http.Handler; bot/webhook mounts it (echo stays in
// that one package):
//
//	feed := simulator.NewFeed(256)
//	sender := kaleyra.NewDryRun(log, cfg)
//	sender.OnSend = feed.OnSend
//	sim, err := simulator.New(simulator.Config{Feed: feed, Conversations: st, FlowName: "pizzeria"})
//	srv, err := webhook.New(webhook.Config{Engine: eng, Store: st, Simulator: sim})
//	// once listening:
//	sim.SetWebhookURL("http://127.0.0.1:8080/webhook")
package simulator
