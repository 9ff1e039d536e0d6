// Package kaleyratest is a fake Kaleyra WhatsApp API v2 for tests and local
// runs: it answers sends like the real API (202 with data.message_id), the
// documented error bodies on demand (WA400, RBC001, WA401, WA-401, E110,
// WA500), records every request, and injects latency and failures. It is
// the one fake Kaleyra of souk's own tests, and is there for yours.
//
// One Server serves three ways: as an http.Handler, over a real loopback
// socket (Start, Run in a test, or `souk mock-kaleyra --addr`), or
// in-process through Transport, which runs the handler without a socket so
// a kaleyra.Client takes exactly its production code path.
//
//	mock := kaleyratest.New()
//	client, _ := kaleyra.New(kaleyra.Config{APIKey: "k", SID: "SID", Number: "15550000000",
//		BaseURL: "http://kaleyra.test", HTTPClient: mock.Client()})
//	mock.FailNext(kaleyratest.Failure{Code: "WA500"})   // the next send gets a 500
//	_, err := client.Send(ctx, out)                     // *kaleyra.APIError, Retryable
//	reqs := mock.Requests()                             // every request, with its body
//
// A test that needs more scripts the answers with SetRespond and reads what
// arrived with Accepted, Texts, Take, WaitFor and the Request helpers (To,
// Ref, Text, Field):
//
//	k := kaleyratest.Run(t) // on a loopback port until the test ends
//	k.SetRespond(func(n int, r kaleyratest.Request) kaleyratest.Answer {
//		if r.Text() == "flaky" && n == 1 {
//			return kaleyratest.Fail("WA500")
//		}
//		return kaleyratest.Accept("id-" + r.Ref())
//	})
//	... // point souk at k.URL
//	k.Texts("919876543210") // the texts accepted for that shopper, in order
package kaleyratest
