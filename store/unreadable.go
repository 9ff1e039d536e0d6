package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// ErrUnreadable wraps the error of an outbox head that does not decode
// (written by hand, or damaged). LeaseHead returns it after taking that
// entry off the outbox into the dead letters (reason "unreadable") and
// handing the outbox back, due again at once if anything is left behind
// it: one bad entry must not hold up the shopper's replies for good.
var ErrUnreadable = errors.New("store: unreadable outbox entry dead-lettered")

// dropScript takes an unreadable head off a leased outbox and hands the
// outbox back: KEYS[1] lease, KEYS[2] out, KEYS[3] due and KEYS[4] dead
// (both absent on Cluster); ARGV[1] token, ARGV[2] the entry as read,
// ARGV[3] phone, ARGV[4] now ms, ARGV[5] dead-letter stream length,
// ARGV[6] "check" to only check the fences, writing nothing. The head is
// compared whole, as it cannot be decoded. Returns 1, or -1 when the lease
// is lost and -2 when the head is another entry (fenced).
var dropScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
if redis.call('LINDEX', KEYS[2], '0') ~= ARGV[2] then return -2 end
if ARGV[6] == 'check' then return 1 end
redis.call('LTRIM', KEYS[2], '1', '-1')
redis.call('DEL', KEYS[1])
if KEYS[4] then
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[5], '*',
    'phone', ARGV[3], 'entry', ARGV[2], 'reason', 'unreadable', 'at', ARGV[4])
  if redis.call('LLEN', KEYS[2]) > 0 then
    redis.call('ZADD', KEYS[3], ARGV[4], ARGV[3])
  else
    redis.call('ZREM', KEYS[3], ARGV[3])
  end
end
return 1
`)

// unreadableError is a head that did not decode, as it was read.
type unreadableError struct {
	raw string
	err error
}

func (e *unreadableError) Error() string { return e.err.Error() }
func (e *unreadableError) Unwrap() error { return e.err }

// dropUnreadable dead-letters the unreadable head raw of phone's outbox,
// leased with token, and hands the outbox back. On Cluster, where the
// stream and the due set are in other slots, the letter is appended once
// the fences are seen to hold, before the entry is taken off (a failure
// in between can repeat the letter, never lose the entry), and the due
// set is settled after.
func (r *Redis) dropUnreadable(ctx context.Context, phone, token, raw string, cause error) error {
	now := r.cfg.Clock()
	ks := []string{r.keys.lease(phone), r.keys.out(phone)}
	drop := func(mode string) error {
		res, err := dropScript.Run(ctx, r.rdb, ks, token, raw, phone, now.UnixMilli(), MaxDeadLetters, mode).Int64()
		return fenced(res, err, "dead-lettering an unreadable entry")
	}
	if !r.cluster {
		ks = append(ks, r.keys.due(), r.keys.dead())
		if err := drop(""); err != nil {
			return err
		}
		return fmt.Errorf("%w: %w", ErrUnreadable, cause)
	}
	if err := drop("check"); err != nil {
		return err
	}
	if err := r.appendDeadLetter(ctx, phone, []byte(raw), "unreadable", now); err != nil {
		return err
	}
	if err := drop(""); err != nil {
		return err
	}
	if err := r.settle(ctx, phone); err != nil {
		return err
	}
	return fmt.Errorf("%w: %w", ErrUnreadable, cause)
}
