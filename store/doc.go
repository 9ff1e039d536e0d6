// Package store keeps conversations, the outbox of replies and message
// statuses in Redis; it is the only package that talks to Redis.
//
// Key layout. Every key starts with the prefix (Config.Prefix, from
// SOUK_REDIS_PREFIX; "souk" by default; no braces), so several bots can share
// one Redis. Every key of one shopper carries the {<phone>} Cluster hash tag,
// so the scripts that touch them stay in one slot:
//
//	<prefix>:{<phone>}:conv          hash v = version, d = conversation JSON, g = generation (random, set at creation); TTL = the flow's session_ttl
//	<prefix>:{<phone>}:seen:<digest> "1" once a message moved the conversation; TTL = DedupTTL (7 days);
//	                                 digest = base64url of the first 12 bytes of SHA-256(message id)
//	<prefix>:{<phone>}:out           list of OutMessage JSON waiting to be sent, oldest first; TTL = OutboxTTL (7 days), renewed on each push
//	<prefix>:{<phone>}:lease         token of the sender holding this outbox; TTL = the lease (1 minute), renewed on each send
//	<prefix>:{<phone>}:m:<id>        status record: "status␟attempts␟updated␟message_id␟error" (␟ = 0x1F); TTL = StatusTTL (7 days)
//	<prefix>:{<phone>}:optout        Unix ms the shopper opted out of reminders and re-engagement (OptOuts); no TTL, deleted when they opt in
//
// Keys shared by all shoppers (one key each, so Cluster routes them alone):
//
//	<prefix>:outbox:due              sorted set: phone -> Unix ms its outbox head is due; no TTL, a member leaves when its outbox is empty
//	<prefix>:outbox:dead             stream of dead letters (phone, entry, reason, at); no TTL, trimmed to about MaxDeadLetters
//	<prefix>:handoffs                sorted set: phone -> Unix ms it was handed off, written by the commit; no TTL, a member leaves when resumed, reset, or found ended by Waiting
//	<prefix>:idle                    sorted set: phone -> Unix ms its state's idle timer is due, written by the commit; no TTL, a member leaves when its timer is found run out or moot
//	<prefix>:outbox:redrive:<stream id>  string: the token of the redrive under way of that dead letter; TTL 1 minute
//	<prefix>:ref:<id>                phone of souk's message id, for status callbacks without a recipient; TTL = StatusTTL
//	<prefix>:mid:<digest>            "phone id" for Kaleyra's message_id, named by its digest as seen keys are; TTL = StatusTTL
//
// Souk before string records kept a record as a hash under
// <prefix>:{<phone>}:msg:<id> and the mid index under the message_id
// itself; both are still read, and the first callback moves such a record
// to the string layout, so an upgrade loses no status. They expire within
// StatusTTL of it.
//
// A move is committed by one Lua script that checks the message was not
// seen, checks the version the engine loaded is still current, writes the
// new conversation, marks the message seen, appends the replies to the
// shopper's outbox, records each as queued and indexes its id (ref). Two servers sharing one Redis
// can therefore neither interleave nor double a move, and a crash cannot
// separate a move from its replies. On a single node or Sentinel the same
// script also marks the shopper due, lists a handed-off shopper in the
// handoffs index and a conversation with an idle timer in the idle index;
// on Cluster, where those live in other slots, Commit does that in a second
// step: Sweep repairs a crash in between for the due set, the next message
// held for the shopper for the handoffs index (an idle timer lost there
// loses only a reminder).
//
// Senders lease one shopper's outbox at a time (SET NX with a token that
// every later write checks), so one shopper's replies leave in order even
// with many senders in many processes. Through Drainer a sender takes the
// lease and reads the head in one script, and records a send and reads the
// next head in another; the script that finds the outbox empty drops the
// lease (and, but on Cluster, the shopper's due entry) in the same step, so
// a commit racing with it leases the outbox itself and is never stranded;
// on Cluster the sender then settles the due set, re-adding a shopper whose
// outbox filled meanwhile. Through CommitLeaser the commit itself leases
// an outbox it fills when the outbox was empty and free (the shopper is
// then due only at the lease's end, for another sender to take over a dead
// one), and reports when a sender already holds it, which goes on to the
// new replies as it records its sends. A reply handed over that way costs
// one round trip besides the commit.
//
// Each Redis store keeps the conversations its process committed last
// (Config.CachedConversations) with the ids of the messages it applied to
// them, so the next move of the same shopper loads with no round trip. An
// entry gone stale (another process moved the conversation, or it
// expired) fails the commit's version check, and the script's answer to
// that conflict carries the current conversation for the retry; dedup
// stays with the commit script.
//
// On a single node or Sentinel, the commit, the step that records a send
// and the load of a conversation go through a batcher: concurrent callers'
// steps share pipelines, at most two on their way at once, each sent by
// the oldest caller waiting, so that under load one round trip carries
// many shoppers' steps.
//
// REDIS_URL may name a single node, a Cluster or Sentinel (see ParseURL);
// the client is go-redis's UniversalClient either way.
package store
