package store

import (
	"crypto/sha256"
	"encoding/base64"
)

// DefaultPrefix starts every key souk writes.
const DefaultPrefix = "souk"

type keys struct{ prefix string }

func (k keys) shopper(phone string) string { return k.prefix + ":{" + phone + "}" }

func (k keys) conv(phone string) string { return k.shopper(phone) + ":conv" }

// seen names the dedup key of a message id by a 96-bit digest of the id, so
// that every such key is short and of one length whatever the platform's
// ids look like (Meta's are about 60 characters).
func (k keys) seen(phone, id string) string { return k.shopper(phone) + ":seen:" + digest(id) }

func digest(id string) string {
	sum := sha256.Sum256([]byte(id))
	return base64.RawURLEncoding.EncodeToString(sum[:12])
}
