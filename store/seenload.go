package store

import (
	"context"
	"fmt"
	"strconv"

	"github.com/redis/go-redis/v9"
	"github.com/souk-commerce/souk/internal/jsonfast"
)

// SeenLoader is a Store that can check a message id and load the
// conversation in one round trip; the engine uses it when the store has it.
type SeenLoader interface {
	// SeenLoad reports whether messageID already moved phone's
	// conversation and, when it did not, returns that conversation.
	SeenLoad(ctx context.Context, phone, messageID string) (c Conversation, seen bool, err error)
}

// ConversationCache is a SeenLoader that keeps conversations in process
// memory and can answer from there alone.
type ConversationCache interface {
	SeenLoader
	// Caching reports whether conversations are kept at all.
	Caching() bool
	// Cached is SeenLoad answered from memory; hit is false when nothing
	// of phone is kept.
	Cached(phone, messageID string) (c Conversation, seen, hit bool, err error)
}

var _ ConversationCache = (*Redis)(nil)

// Caching implements ConversationCache: Config.CachedConversations > 0.
func (r *Redis) Caching() bool { return r.cache != nil }

// Cached implements ConversationCache.
func (r *Redis) Cached(phone, messageID string) (c Conversation, seen, hit bool, err error) {
	e, ok := r.cache.get(phone)
	switch {
	case !ok:
		return Conversation{}, false, false, nil
	case e.applied(messageID):
		return Conversation{Phone: phone}, true, true, nil
	}
	c, err = e.conversation(phone)
	return c, false, true, err
}

// SeenLoad implements SeenLoader with one pipeline of EXISTS and HMGET,
// or none when the conversation is in the process's cache.
func (r *Redis) SeenLoad(ctx context.Context, phone, messageID string) (Conversation, bool, error) {
	if c, seen, hit, err := r.Cached(phone, messageID); hit {
		return c, seen, err
	}
	seen := redis.NewIntCmd(ctx, "exists", r.keys.seen(phone, messageID))
	conv := redis.NewSliceCmd(ctx, "hmget", r.keys.conv(phone), "v", "d", "g")
	if err := r.pipeline(ctx, seen, conv); err != nil {
		return Conversation{}, false, fmt.Errorf("loading conversation: %w", err)
	}
	if seen.Val() == 1 {
		return Conversation{Phone: phone}, true, nil
	}
	c, err := decodeConversation(phone, conv.Val())
	return c, false, err
}

// decodeConversation turns the HMGET of v, d and g (version, JSON and
// generation) into a Conversation; a
// missing hash is a conversation with Version 0.
func decodeConversation(phone string, vals []any) (Conversation, error) {
	if len(vals) < 2 || vals[0] == nil || vals[1] == nil {
		return Conversation{Phone: phone}, nil
	}
	v, _ := vals[0].(string)
	d, _ := vals[1].(string)
	version, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return Conversation{}, fmt.Errorf("%w: version: %w", ErrBadConversation, err)
	}
	c, err := decodeData(phone, version, []byte(d))
	if len(vals) > 2 {
		c.gen, _ = vals[2].(string)
	}
	return c, err
}

// decodeData decodes a conversation's JSON; version 0 is one that does
// not exist.
func decodeData(phone string, version int64, data []byte) (Conversation, error) {
	c := Conversation{Phone: phone}
	if version == 0 {
		return c, nil
	}
	if err := jsonfast.Unmarshal(data, &c); err != nil {
		return Conversation{}, fmt.Errorf("%w: %w", ErrBadConversation, err)
	}
	c.Version, c.Phone = version, phone
	return c, nil
}
