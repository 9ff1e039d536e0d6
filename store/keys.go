package store

// DefaultPrefix starts every key souk writes.
const DefaultPrefix = "souk"

type keys struct{ prefix string }

func (k keys) shopper(phone string) string { return k.prefix + ":{" + phone + "}" }

func (k keys) conv(phone string) string { return k.shopper(phone) + ":conv" }

func (k keys) seen(phone, id string) string { return k.shopper(phone) + ":seen:" + id }

func (k keys) handoff(phone string) string { return k.shopper(phone) + ":handoff" }

func (k keys) held(phone string) string { return k.shopper(phone) + ":held" }
