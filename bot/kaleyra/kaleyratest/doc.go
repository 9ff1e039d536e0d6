// Package kaleyratest is a fake Kaleyra WhatsApp API v2 for tests and local
// runs: it answers sends like the real API (202 with data.message_id), the
// documented error bodies on demand (WA400, RBC001, WA401, WA-401, E110,
// WA500), records every request, and injects latency and failures.
//
// One Server serves three ways: as an http.Handler, over a real loopback
// socket (Start, or `souk mock-kaleyra --addr`), or in-process through
// Transport, which runs the handler without a socket so a kaleyra.Client
// takes exactly its production code path.
//
//	mock := kaleyratest.New()
//	client, _ := kaleyra.New(kaleyra.Config{APIKey: "k", SID: "SID", Number: "15550000000",
//		BaseURL: "http://kaleyra.test", HTTPClient: mock.Client()})
//	mock.FailNext(kaleyratest.Failure{Code: "WA500"})   // the next send gets a 500
//	_, err := client.Send(ctx, out)                     // *kaleyra.APIError, Retryable
//	reqs := mock.Requests()                             // every request, with its body
package kaleyratest
