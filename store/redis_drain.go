package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Drainer is an Outbox whose sender path takes one round trip per step:
// taking a shopper's outbox together with its head message, and recording
// a send together with reading the next head. When a step finds the outbox
// empty, it hands the outbox back itself (as Release does), so a drained
// outbox costs no further round trip. A Drainer indexes souk's message ids
// (IndexRef) when the messages are queued, so senders using it need not.
type Drainer interface {
	// LeaseHead takes the shopper's outbox for d and returns a token and
	// the head message. ok is false when the outbox is empty: it was handed
	// back and the token is void. ErrLeased is as for Lease. A head that
	// does not decode is dead-lettered and the outbox handed back, with an
	// error that wraps ErrUnreadable.
	LeaseHead(ctx context.Context, phone string, d time.Duration) (token string, head OutMessage, ok bool, err error)
	// SentNext does what Sent does and returns the new head message. ok is
	// false when the outbox is now empty: it was handed back.
	SentNext(ctx context.Context, phone, token string, m OutMessage, messageID string) (next OutMessage, ok bool, err error)
}

var _ Drainer = (*Redis)(nil)

// leaseHeadScript: KEYS[1] lease, KEYS[2] out, KEYS[3] due (absent on
// Cluster); ARGV[1] token, ARGV[2] lease ms, ARGV[3] phone. Returns nil
// when another sender holds the lease, the head entry, 0 when the outbox is
// empty and was handed back, 1 when it is empty and the caller must hand it
// back (Cluster: the due set is in another slot).
var leaseHeadScript = redis.NewScript(handBack + `
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end
local head = redis.call('LINDEX', KEYS[2], '0')
if head then return head end
return handBack(KEYS[3], KEYS[1], ARGV[3])
`)

// sentNextScript: sentScript, then the message id index and the next head
// as leaseHeadScript returns it. KEYS[1] lease, KEYS[2] out, KEYS[3] msg,
// KEYS[4] due and KEYS[5] mid (both absent on Cluster); ARGV as sentScript.
// It reads the head and the next entry in one LRANGE and records the send
// with one SET ... GET (recordSent), as it runs once per reply sent.
var sentNextScript = redis.NewScript(recordLua + isHead + handBack + `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
local two = redis.call('LRANGE', KEYS[2], '0', '1')
if not two[1] or not isHead(two[1], ARGV[2]) then return -2 end
redis.call('LTRIM', KEYS[2], '1', '-1')
recordSent(KEYS[3], ARGV[8], ARGV[4], ARGV[3], ARGV[6])
if #KEYS > 3 and ARGV[3] ~= '' then
  redis.call('SET', KEYS[5], ARGV[7] .. ' ' .. ARGV[2], 'PX', ARGV[6])
end
if two[2] then
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  return two[2]
end
return handBack(KEYS[4], KEYS[1], ARGV[7])
`)

// LeaseHead implements Drainer.
func (r *Redis) LeaseHead(ctx context.Context, phone string, d time.Duration) (string, OutMessage, bool, error) {
	token := leaseToken(d)
	ks := []string{r.keys.lease(phone), r.keys.out(phone)}
	if !r.cluster {
		ks = append(ks, r.keys.due())
	}
	res, err := leaseHeadScript.Run(ctx, r.rdb, ks, token, d.Milliseconds(), phone).Result()
	if errors.Is(err, redis.Nil) {
		return "", OutMessage{}, false, r.leased(ctx, phone)
	}
	if err != nil {
		return "", OutMessage{}, false, fmt.Errorf("leasing outbox: %w", err)
	}
	head, ok, err := r.headOf(ctx, phone, res)
	if bad, isBad := errors.AsType[*unreadableError](err); isBad {
		return "", OutMessage{}, false, r.dropUnreadable(ctx, phone, token, bad.raw, err)
	}
	if err != nil || !ok {
		return "", OutMessage{}, false, err
	}
	return token, head, true, nil
}

// SentNext implements Drainer.
func (r *Redis) SentNext(ctx context.Context, phone, token string, m OutMessage, messageID string) (OutMessage, bool, error) {
	now := r.cfg.Clock().UnixMilli()
	ks := r.headKeys(phone, m.ID)
	if !r.cluster {
		ks = append(ks, r.keys.due(), r.keys.mid(messageID))
	}
	res, err := r.runScript(ctx, sentNextScript, ks, token, m.ID, messageID, now, leaseMS(token),
		r.cfg.StatusTTL.Milliseconds(), phone, m.Attempts+1).Result()
	if n, isInt := res.(int64); err == nil && isInt && n < 0 {
		return OutMessage{}, false, fenced(n, nil, "recording sent message")
	}
	if err != nil {
		return OutMessage{}, false, fenced(0, err, "recording sent message")
	}
	if r.cluster && messageID != "" {
		if err := r.rdb.Set(ctx, r.keys.mid(messageID), phone+" "+m.ID, r.cfg.StatusTTL).Err(); err != nil {
			return OutMessage{}, false, fmt.Errorf("%w: indexing message id: %w", ErrAfterRecord, err)
		}
	}
	next, ok, err := r.headOf(ctx, phone, res)
	if err != nil {
		return OutMessage{}, false, fmt.Errorf("%w: %w", ErrAfterRecord, err)
	}
	return next, ok, nil
}

// headOf reads a drain script's answer: the head entry, or an empty
// outbox, whose due-set entry it settles when the script could not
// (Cluster; the script dropped the lease).
func (r *Redis) headOf(ctx context.Context, phone string, res any) (OutMessage, bool, error) {
	switch v := res.(type) {
	case string:
		m, err := decodeEntry(v)
		if err != nil {
			return OutMessage{}, false, &unreadableError{raw: v, err: err}
		}
		return m, true, nil
	case int64:
		if v == 1 {
			return OutMessage{}, false, r.settle(ctx, phone)
		}
		return OutMessage{}, false, nil
	}
	return OutMessage{}, false, fmt.Errorf("outbox script answered %T", res)
}

// leased pushes back a shopper whose outbox another sender holds, so that
// senders do not spin on it, and returns ErrLeased.
func (r *Redis) leased(ctx context.Context, phone string) error {
	left, err := r.rdb.PTTL(ctx, r.keys.lease(phone)).Result()
	if err == nil && left > 0 {
		at := r.cfg.Clock().Add(min(left, maxLeaseBackoff))
		err = r.rdb.ZAddArgs(ctx, r.keys.due(), redis.ZAddArgs{XX: true, GT: true,
			Members: []redis.Z{{Score: float64(at.UnixMilli()), Member: phone}}}).Err()
	}
	if err != nil {
		return fmt.Errorf("leasing outbox: %w", err)
	}
	return ErrLeased
}
