package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is the Store on a Redis server (single node, Sentinel or Cluster).
type Redis struct {
	rdb     redis.UniversalClient
	keys    keys
	cfg     Config
	cluster bool
	closers []func() error
	cache   *convCache
	batch   *batcher // nil on Cluster, whose commands go to several nodes
}

// Config configures a Redis store.
type Config struct {
	// Prefix starts every key, so several bots can share one Redis.
	Prefix string
	// DedupTTL is how long message ids are remembered (DefaultDedupTTL).
	DedupTTL time.Duration
	// StatusTTL is how long outbound message records are kept
	// (DefaultStatusTTL).
	StatusTTL time.Duration
	// OutboxTTL bounds the life of an undelivered outbox (DefaultOutboxTTL).
	OutboxTTL time.Duration
	// Clock defaults to time.Now.
	Clock func() time.Time
	// CachedConversations is how many conversations this process keeps
	// after committing them, to load the next move of the same shopper
	// without a round trip (DefaultCachedConversations; negative: none).
	// A stale entry costs one failed commit, never a wrong move.
	CachedConversations int
}

// Validate reports a prefix that would break the hash tags.
func (c Config) Validate() error {
	if strings.ContainsAny(c.Prefix, "{}") {
		return fmt.Errorf("store: prefix %q must not contain { or }", c.Prefix)
	}
	return nil
}

func (c Config) withDefaults() Config {
	if c.Prefix == "" {
		c.Prefix = DefaultPrefix
	}
	if c.DedupTTL <= 0 {
		c.DedupTTL = DefaultDedupTTL
	}
	if c.StatusTTL <= 0 {
		c.StatusTTL = DefaultStatusTTL
	}
	if c.OutboxTTL <= 0 {
		c.OutboxTTL = DefaultOutboxTTL
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	if c.CachedConversations == 0 {
		c.CachedConversations = DefaultCachedConversations
	}
	return c
}

// NewRedis wraps a go-redis client. Closing the store closes the client.
func NewRedis(rdb redis.UniversalClient, cfg Config) *Redis {
	cfg = cfg.withDefaults()
	_, cluster := rdb.(*redis.ClusterClient)
	r := &Redis{rdb: rdb, keys: newKeys(cfg.Prefix), cfg: cfg, cluster: cluster, closers: []func() error{rdb.Close},
		cache: newConvCache(cfg.CachedConversations)}
	if !cluster {
		r.batch = newBatcher(rdb)
	}
	return r
}

// Client returns the underlying go-redis client.
func (r *Redis) Client() redis.UniversalClient { return r.rdb }

// Load implements Store.
func (r *Redis) Load(ctx context.Context, phone string) (Conversation, error) {
	vals, err := r.rdb.HMGet(ctx, r.keys.conv(phone), "v", "d", "g").Result()
	if err != nil {
		return Conversation{}, fmt.Errorf("loading conversation: %w", err)
	}
	return decodeConversation(phone, vals)
}

// Seen implements Store.
func (r *Redis) Seen(ctx context.Context, phone, id string) (bool, error) {
	n, err := r.rdb.Exists(ctx, r.keys.seen(phone, id)).Result()
	if err != nil {
		return false, fmt.Errorf("checking message id: %w", err)
	}
	return n == 1, nil
}

// Commit implements Store. The conversation, the dedup record, the
// outbox entries and their ref index (see IndexRef) are written by one
// script; on Cluster the shopper is then marked due in a second step
// (Sweep repairs a crash in between).
func (r *Redis) Commit(ctx context.Context, c Commit) error {
	_, err := r.commit(ctx, c, "", 0)
	return err
}

// CommitLease implements CommitLeaser.
func (r *Redis) CommitLease(ctx context.Context, c Commit, d time.Duration) (Handover, error) {
	if len(c.Outbox) == 0 || d <= 0 {
		return Handover{}, r.Commit(ctx, c)
	}
	token := leaseToken(d)
	h, err := r.commit(ctx, c, token, d)
	if err != nil || h != handLeased {
		return Handover{Sending: h == handSending}, err
	}
	return Handover{Token: token}, nil
}

// What commitScript did with the outbox.
const (
	handNone    = 0
	handLeased  = 1
	handSending = 2
)

// commit runs commitScript, asking it to lease the outbox with token
// (when not empty) for d; it returns what the script did with the outbox
// (handNone, handLeased, handSending).
func (r *Redis) commit(ctx context.Context, c Commit, token string, d time.Duration) (int64, error) {
	phone, now := c.Conversation.Phone, r.cfg.Clock()
	data, err := json.Marshal(c.Conversation)
	if err != nil {
		return handNone, fmt.Errorf("encoding conversation: %w", err)
	}
	ks := []string{r.keys.conv(phone), r.keys.seen(phone, c.MessageID), r.keys.out(phone), r.keys.lease(phone)}
	if !r.cluster {
		ks = append(ks, r.keys.due(), r.keys.handoffs(), r.keys.idle())
	}
	gen := c.Conversation.gen
	if c.Conversation.Version == 0 {
		gen = newGeneration()
	}
	args, err := r.commitArgs(c, data, now, token, d, gen)
	if err != nil {
		return handNone, err
	}
	if err := r.indexRefs(ctx, phone, c.Outbox, &ks); err != nil {
		return handNone, err
	}
	res, err := r.runScript(ctx, commitScript, ks, args...).Slice()
	if err != nil {
		r.cache.forget(phone)
		return handNone, fmt.Errorf("committing conversation: %w", err)
	}
	version, hand, err := r.commitAnswer(phone, res)
	if err != nil {
		return handNone, err
	}
	r.cache.committed(phone, revision{version, gen}, data, c.MessageID)
	if r.cluster {
		return hand, r.clusterIndexes(ctx, c.Conversation, len(c.Outbox) > 0, hand, now, d)
	}
	return hand, nil
}

// clusterIndexes writes, on Cluster, what commitScript writes elsewhere in
// the same step: the due set, which Sweep repairs should this fail, the
// handoffs index, which the next message held for the shopper repairs, and
// the idle index.
func (r *Redis) clusterIndexes(ctx context.Context, c Conversation, queued bool, hand int64, now time.Time, d time.Duration) error {
	if c.HandedOff() {
		_ = r.markWaiting(ctx, c) // the move stands: an error here must not undo it
	}
	if !c.IdleAt.IsZero() {
		_ = r.markIdle(ctx, c) // likewise; a timer lost here only loses a reminder
	}
	if !queued {
		return nil
	}
	at := now
	if hand == handLeased {
		at = now.Add(d)
	}
	if err := r.rdb.ZAddNX(ctx, r.keys.due(), redis.Z{Score: float64(at.UnixMilli()), Member: c.Phone}).Err(); err != nil {
		return fmt.Errorf("marking outbox due: %w", err)
	}
	return nil
}

// handedOffAt is commitScript's ARGV[14]: when c was handed off, or "".
func handedOffAt(c Conversation) string {
	if !c.HandedOff() {
		return ""
	}
	return strconv.FormatInt(c.HandoffAt.UnixMilli(), 10)
}

// idleAt is commitScript's ARGV[15]: when c's idle timer is due, or "".
func idleAt(c Conversation) string {
	if c.IdleAt.IsZero() {
		return ""
	}
	return strconv.FormatInt(c.IdleAt.UnixMilli(), 10)
}

// commitArgs are commitScript's ARGV for c.
func (r *Redis) commitArgs(c Commit, data []byte, now time.Time, token string, d time.Duration, gen string) ([]any, error) {
	conv := c.Conversation
	hasSeen := "0"
	if c.MessageID != "" {
		hasSeen = "1"
	}
	args := []any{conv.Version, data, c.TTL.Milliseconds(), r.cfg.DedupTTL.Milliseconds(), hasSeen,
		r.cfg.OutboxTTL.Milliseconds(), r.cfg.StatusTTL.Milliseconds(), now.UnixMilli(), r.keys.msg(conv.Phone, ""), conv.Phone,
		token, d.Milliseconds(), gen, handedOffAt(conv), idleAt(conv), "", "",
		conv.Version + 1, now.Add(d).UnixMilli()}
	if c.Opt.Set {
		args[15] = r.keys.optOut(conv.Phone)
		if !c.Opt.At.IsZero() {
			args[16] = strconv.FormatInt(c.Opt.At.UnixMilli(), 10)
		}
	}
	for _, m := range c.Outbox {
		m.Phone = conv.Phone
		if m.Queued.IsZero() {
			m.Queued = now
		}
		entry, err := encodeEntry(m)
		if err != nil {
			return nil, fmt.Errorf("encoding outbox entry: %w", err)
		}
		args = append(args, m.ID, entry)
	}
	return args, nil
}

// commitAnswer reads commitScript's answer: the new version and what was
// done with the outbox, or ErrDuplicate, or ErrConflict after caching the
// conversation the script found.
func (r *Redis) commitAnswer(phone string, res []any) (version, hand int64, err error) {
	version, _ = at[int64](res, 0)
	switch {
	case version == -1:
		r.cache.forget(phone)
		return 0, handNone, ErrDuplicate
	case version == -2:
		v, _ := at[int64](res, 1)
		d, _ := at[string](res, 2)
		gen, _ := at[string](res, 3)
		r.cache.current(phone, revision{v, gen}, d)
		return 0, handNone, ErrConflict
	case version <= 0:
		return 0, handNone, fmt.Errorf("committing conversation: script answered %v", res)
	}
	hand, _ = at[int64](res, 1)
	return version, hand, nil
}

// at is res[i] as a T, if it is one.
func at[T any](res []any, i int) (T, bool) {
	var zero T
	if i >= len(res) {
		return zero, false
	}
	v, ok := res[i].(T)
	return v, ok
}

// Ping implements Store.
func (r *Redis) Ping(ctx context.Context) error { return r.rdb.Ping(ctx).Err() }

// Rejected reports whether err, from Ping, is Redis's own answer (a wrong
// password, a database index out of range, ...) rather than Redis not
// answering: trying again will not change it.
func Rejected(err error) bool {
	var re redis.Error
	return errors.As(err, &re)
}

// Close implements Store.
func (r *Redis) Close() error {
	var errs []error
	for _, c := range r.closers {
		errs = append(errs, c())
	}
	return errors.Join(errs...)
}

// indexRefs indexes the ids of messages about to be queued (IndexRef): on
// one node the commit script does it, so their keys are added to ks; on
// Cluster, where they live in other slots, they are set here first (an
// index entry of a commit that then fails points at no record, which
// lookups treat as unknown).
func (r *Redis) indexRefs(ctx context.Context, phone string, msgs []OutMessage, ks *[]string) error {
	if !r.cluster {
		for _, m := range msgs {
			*ks = append(*ks, r.keys.ref(m.ID))
		}
		return nil
	}
	if len(msgs) == 0 {
		return nil
	}
	pipe := r.rdb.Pipeline()
	for _, m := range msgs {
		pipe.Set(ctx, r.keys.ref(m.ID), phone, r.cfg.StatusTTL)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("indexing messages: %w", err)
	}
	return nil
}
