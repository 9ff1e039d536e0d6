// Package outbox delivers the replies the engine committed into the
// store's outbox, and keeps each sent message's status.
//
// The engine writes a move's replies into the shopper's outbox in the same
// atomic step as the new state (store.Commit.Outbox), so a reply is never
// lost once the webhook answered 200. A Runner in every `souk serve`
// process polls the store for shoppers with a due outbox, leases one
// shopper's outbox at a time (a Redis key with a token that every write
// checks), and sends its messages oldest first, so one shopper's replies
// leave in the order the flow produced them, whichever process sends them.
//
// A send that fails with a retryable error (kaleyra.Retryable: WA500, 5xx,
// 408, 429, transport errors) is retried after an exponential backoff with
// jitter, up to MaxAttempts; the shopper's later replies wait behind it. Any
// other error, or the last failed attempt, moves the message to the
// dead-letter stream with the reason, where `souk outbox` lists and
// re-drives it. Config.Observer (*metrics.Metrics in `souk serve`) is told
// of each retry and dead letter and, every StatsEvery, of the number of
// replies waiting and the age of the oldest. Status callbacks update each
// message's record (matched by extra_info.ref, then by Kaleyra's
// message_id); a status never goes back.
//
//	r, err := outbox.New(outbox.Config{Store: st, Sender: sender})
//	r.Start()
//	defer r.Stop(ctx)
//	st, err := outbox.Lookup(ctx, store, id) // queued, sent, delivered, read, failed, dead
package outbox
