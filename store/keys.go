package store

import (
	"crypto/sha256"
	"encoding/base64"
)

// DefaultPrefix starts every key souk writes.
const DefaultPrefix = "souk"

// keys names every Redis key souk uses; store/doc.go documents the layout.
// The keys shared by all shoppers are built once: commits name them.
type keys struct {
	prefix  string
	dueKey  string
	handKey string
	idleKey string
}

func newKeys(prefix string) keys {
	return keys{prefix: prefix, dueKey: prefix + ":outbox:due", handKey: prefix + ":handoffs", idleKey: prefix + ":idle"}
}

// shopper starts every key of one shopper. The keys below spell it out
// rather than call it, so that each is one concatenation: one allocation,
// not two.
func (k keys) shopper(phone string) string { return k.prefix + ":{" + phone + "}" }

func (k keys) conv(phone string) string { return k.prefix + ":{" + phone + "}:conv" }

// seen names the dedup key of a message id by a 96-bit digest of the id, so
// that every such key is short and of one length whatever the platform's
// ids look like (Meta's are about 60 characters).
func (k keys) seen(phone, id string) string {
	d := digest(id)
	return k.prefix + ":{" + phone + "}:seen:" + string(d[:])
}

// digest is a 96-bit digest of id in 16 URL-safe characters.
func digest(id string) [16]byte {
	sum := sha256.Sum256([]byte(id))
	var d [16]byte
	base64.RawURLEncoding.Encode(d[:], sum[:12])
	return d
}

// out is the shopper's outbox: a list of OutMessage JSON, oldest first.
func (k keys) out(phone string) string { return k.prefix + ":{" + phone + "}:out" }

// lease holds the token of the sender that owns the shopper's outbox now.
func (k keys) lease(phone string) string { return k.prefix + ":{" + phone + "}:lease" }

// optOut records that the shopper opted out of messages they did not ask
// for (OptOuts).
func (k keys) optOut(phone string) string { return k.prefix + ":{" + phone + "}:optout" }

// msg is the status record of one outbound message (record.go).
func (k keys) msg(phone, id string) string { return k.prefix + ":{" + phone + "}:m:" + id }

// legacyMsg is where a status record was kept before records were strings:
// a hash (legacyRecord).
func (k keys) legacyMsg(phone, id string) string { return k.prefix + ":{" + phone + "}:msg:" + id }

// due is the sorted set of shoppers with a non-empty outbox, scored by the
// time (Unix ms) their head message is due.
func (k keys) due() string { return k.dueKey }

// handoffs is the sorted set of handed-off shoppers, scored by when
// (Unix ms) they were handed off.
func (k keys) handoffs() string { return k.handKey }

// idle is the sorted set of shoppers whose state has an idle timer,
// scored by when (Unix ms) it is due.
func (k keys) idle() string { return k.idleKey }

// dead is the dead-letter stream.
func (k keys) dead() string { return k.prefix + ":outbox:dead" }

// redrive claims a dead letter while it is queued again.
func (k keys) redrive(streamID string) string { return k.prefix + ":outbox:redrive:" + streamID }

// ref maps souk's id of an outbound message to the shopper's phone.
func (k keys) ref(id string) string { return k.prefix + ":ref:" + id }

// mid maps Kaleyra's message_id to "phone id". It is named by a digest of
// the id, as seen is, so that it is short and of one length whatever the
// ids look like.
func (k keys) mid(messageID string) string {
	d := digest(messageID)
	return k.prefix + ":mid:" + string(d[:])
}

// legacyMid is where the mid index was kept before it was digested: under
// the message_id itself.
func (k keys) legacyMid(messageID string) string { return k.prefix + ":mid:" + messageID }

// outPattern matches every shopper's outbox, for Sweep.
func (k keys) outPattern() string { return k.prefix + ":{*}:out" }
