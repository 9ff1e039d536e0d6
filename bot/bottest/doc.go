// Package bottest is souk's test kit for flows and Go handlers: an engine
// on an in-process Redis (miniredis), a recording sender that sends through
// the real kaleyra.Client to a fake Kaleyra API (kaleyratest), a fake clock,
// and a conversation driver whose Text, Tap and Cart return what souk sent,
// both as typed messages and as the exact request JSON.
//
//	b := bottest.Start(t, "flow.yaml", bottest.Config{Handlers: reg})
//	asha := b.Shopper("919876543210", "Asha")
//	r := asha.Text("hi")
//	bottest.AssertSent(t, r, bottest.Want{Kind: "list", BodyContains: "Asha", Rows: []string{"pizzas", "drinks"}}) // Rows: all of them, in order
//	asha.Tap("pizzas")
//	asha.Advance(25 * time.Hour)                    // past session_ttl: the next message starts over
//	bottest.AssertKinds(t, asha.Text("hello"), "list")
//	bottest.AssertState(t, asha, "welcome")
//
// The `souk test` runner (package flowtest) is built on this kit.
//
// It also holds the small helpers souk's own tests share across packages:
// Eventually (poll a condition with a deadline instead of sleeping), Buffer
// (a log sink safe for concurrent writes), Dispatcher (a bot.Dispatcher
// that keeps what it is given) and Golden (compare with, or rewrite, a
// golden file). Stores for tests come from package storetest, the fake
// Kaleyra API from package kaleyratest.
package bottest
