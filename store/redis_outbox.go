package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// maxLeaseBackoff bounds how far a shopper whose outbox another sender
// holds is pushed back in the due set.
const maxLeaseBackoff = 500 * time.Millisecond

// Due implements Outbox.
func (r *Redis) Due(ctx context.Context, now time.Time, n int) ([]string, error) {
	phones, err := r.rdb.ZRangeArgs(ctx, redis.ZRangeArgs{Key: r.keys.due(), ByScore: true,
		Start: "-inf", Stop: strconv.FormatInt(now.UnixMilli(), 10), Count: int64(n)}).Result()
	if err != nil {
		return nil, fmt.Errorf("reading due outboxes: %w", err)
	}
	return phones, nil
}

// Lease implements Outbox.
func (r *Redis) Lease(ctx context.Context, phone string, d time.Duration) (string, error) {
	token := leaseToken(d)
	ok, err := r.rdb.SetNX(ctx, r.keys.lease(phone), token, d).Result()
	if err != nil {
		return "", fmt.Errorf("leasing outbox: %w", err)
	}
	if ok {
		return token, nil
	}
	return "", r.leased(ctx, phone)
}

// Head implements Outbox.
func (r *Redis) Head(ctx context.Context, phone string) (OutMessage, bool, error) {
	raw, err := r.rdb.LIndex(ctx, r.keys.out(phone), 0).Result()
	if errors.Is(err, redis.Nil) {
		return OutMessage{}, false, nil
	}
	if err != nil {
		return OutMessage{}, false, fmt.Errorf("reading outbox: %w", err)
	}
	m, err := decodeEntry(raw)
	if err != nil {
		return OutMessage{}, false, &unreadableError{raw: raw, err: err}
	}
	return m, true, nil
}

// headKeys are the keys of a fenced head operation.
func (r *Redis) headKeys(phone, id string) []string {
	return []string{r.keys.lease(phone), r.keys.out(phone), r.keys.msg(phone, id)}
}

// fenced maps a head script's answer to an error.
func fenced(res int64, err error, what string) error {
	switch {
	case err != nil:
		return fmt.Errorf("%s: %w", what, err)
	case res == -1:
		return ErrLeaseLost
	case res == -2:
		return fmt.Errorf("%s: %w: head is another message", what, ErrLeaseLost)
	}
	return nil
}

// leaseToken is a fresh lease token for a lease taken for d; it carries d
// for leaseMS.
func leaseToken(d time.Duration) string {
	return newToken() + "." + strconv.FormatInt(d.Milliseconds(), 10)
}

// leaseMS is how long each head operation extends the lease: the duration
// the lease was taken for, carried in its token.
func leaseMS(token string) int64 {
	_, ms, _ := strings.Cut(token, ".")
	n, err := strconv.ParseInt(ms, 10, 64)
	if err != nil || n <= 0 {
		return int64(time.Minute / time.Millisecond)
	}
	return n
}

// Sent implements Outbox. It also indexes Kaleyra's message id.
func (r *Redis) Sent(ctx context.Context, phone, token string, m OutMessage, messageID string) error {
	now := r.cfg.Clock().UnixMilli()
	id := m.ID
	res, err := sentScript.Run(ctx, r.rdb, r.headKeys(phone, id), token, id, messageID, now, leaseMS(token),
		r.cfg.StatusTTL.Milliseconds(), phone, m.Attempts+1).Int64()
	if err := fenced(res, err, "recording sent message"); err != nil {
		return err
	}
	if messageID == "" {
		return nil
	}
	if err := r.rdb.Set(ctx, r.keys.mid(messageID), phone+" "+id, r.cfg.StatusTTL).Err(); err != nil {
		return fmt.Errorf("indexing message id: %w", err)
	}
	return nil
}

// Retry implements Outbox.
func (r *Redis) Retry(ctx context.Context, phone, token string, m OutMessage) error {
	entry, err := encodeEntry(m)
	if err != nil {
		return fmt.Errorf("encoding outbox entry: %w", err)
	}
	res, err := retryScript.Run(ctx, r.rdb, r.headKeys(phone, m.ID), token, m.ID, entry,
		r.cfg.Clock().UnixMilli(), leaseMS(token), m.Attempts, m.LastError, r.cfg.StatusTTL.Milliseconds()).Int64()
	return fenced(res, err, "recording retry")
}

// Dead implements Outbox. On a single node or Sentinel the letter is
// appended by the script that takes the message off the outbox, under the
// lease; on Cluster, where the stream is in another slot, it is appended
// first, once the lease and the head are seen to be still the caller's, so
// a crash in between can repeat it but never lose it.
func (r *Redis) Dead(ctx context.Context, phone, token string, m OutMessage, reason string) error {
	entry, err := encodeEntry(m)
	if err != nil {
		return fmt.Errorf("encoding outbox entry: %w", err)
	}
	now := r.cfg.Clock()
	ks, inScript := r.headKeys(phone, m.ID), entry
	if r.cluster {
		if err := r.clusterDeadLetter(ctx, phone, token, m.ID, entry, reason, now); err != nil {
			return err
		}
		inScript = nil // the script appends nothing
	} else {
		ks = append(ks, r.keys.dead())
	}
	res, err := deadScript.Run(ctx, r.rdb, ks, token, m.ID, now.UnixMilli(), leaseMS(token),
		reason, phone, r.cfg.StatusTTL.Milliseconds(), m.Attempts, MaxDeadLetters, inScript).Int64()
	return fenced(res, err, "dead-lettering")
}

// clusterDeadLetter appends a dead letter on Cluster, once the lease and
// the head are seen to be still the caller's.
func (r *Redis) clusterDeadLetter(ctx context.Context, phone, token, id string, entry []byte, reason string, now time.Time) error {
	res, err := headHeldScript.Run(ctx, r.rdb, []string{r.keys.lease(phone), r.keys.out(phone)}, token, id).Int64()
	if err := fenced(res, err, "dead-lettering"); err != nil {
		return err
	}
	return r.appendDeadLetter(ctx, phone, entry, reason, now)
}

// appendDeadLetter adds entry, phone's message, to the dead-letter stream.
func (r *Redis) appendDeadLetter(ctx context.Context, phone string, entry []byte, reason string, now time.Time) error {
	err := r.rdb.XAdd(ctx, &redis.XAddArgs{Stream: r.keys.dead(), MaxLen: MaxDeadLetters, Approx: true,
		Values: []any{"phone", phone, "entry", entry, "reason", reason, "at", now.UnixMilli()}}).Err()
	if err != nil {
		return fmt.Errorf("dead-lettering: %w", err)
	}
	return nil
}

// Release implements Outbox. The shopper is re-marked due from its head
// before the lease goes, and removed from the due set only after a check
// that a commit racing with the removal re-adds it.
func (r *Redis) Release(ctx context.Context, phone, token string) error {
	if err := r.settle(ctx, phone); err != nil {
		return err
	}
	if err := releaseScript.Run(ctx, r.rdb, []string{r.keys.lease(phone)}, token).Err(); err != nil {
		return fmt.Errorf("releasing outbox: %w", err)
	}
	return nil
}

// settle sets the shopper's due score from its outbox head.
func (r *Redis) settle(ctx context.Context, phone string) error {
	head, ok, err := r.Head(ctx, phone)
	if _, bad := errors.AsType[*unreadableError](err); bad {
		head, ok, err = OutMessage{}, true, nil // due now: the next lease dead-letters it
	}
	if err != nil {
		return err
	}
	if !ok {
		if err := r.rdb.ZRem(ctx, r.keys.due(), phone).Err(); err != nil {
			return fmt.Errorf("settling outbox: %w", err)
		}
		if head, ok, err = r.Head(ctx, phone); err != nil || !ok {
			return err
		}
	}
	at := max(head.NextAt.UnixMilli(), r.cfg.Clock().UnixMilli())
	if err := r.rdb.ZAdd(ctx, r.keys.due(), redis.Z{Score: float64(at), Member: phone}).Err(); err != nil {
		return fmt.Errorf("settling outbox: %w", err)
	}
	return nil
}

// DeadLetters implements Outbox.
func (r *Redis) DeadLetters(ctx context.Context, n int) ([]DeadLetter, error) {
	msgs, err := r.rdb.XRangeN(ctx, r.keys.dead(), "-", "+", int64(n)).Result()
	if err != nil {
		return nil, fmt.Errorf("reading dead letters: %w", err)
	}
	out := make([]DeadLetter, 0, len(msgs))
	for _, x := range msgs {
		out = append(out, deadLetter(x))
	}
	return out, nil
}

func deadLetter(x redis.XMessage) DeadLetter {
	d := DeadLetter{StreamID: x.ID}
	str := func(k string) string { s, _ := x.Values[k].(string); return s }
	_ = json.Unmarshal([]byte(str("entry")), &d.Message)
	d.Reason = str("reason")
	if ms, err := strconv.ParseInt(str("at"), 10, 64); err == nil {
		d.At = time.UnixMilli(ms)
	}
	if d.Message.Phone == "" {
		d.Message.Phone = str("phone")
	}
	return d
}

// redriveClaim is how long a redrive holds its dead letter: a crash
// leaves the letter in the stream, claimable again after this.
const redriveClaim = time.Minute

// Redrive implements Outbox. The letter is claimed first, so that two
// redrives at once (two operators, say) queue it once: the second finds it
// claimed, or gone. It is queued before it is removed from the stream, so
// a crash in between can queue it twice, never lose it.
func (r *Redis) Redrive(ctx context.Context, streamID string) error {
	claim, token := r.keys.redrive(streamID), newToken()
	ok, err := r.rdb.SetNX(ctx, claim, token, redriveClaim).Result()
	if err != nil {
		return fmt.Errorf("claiming dead letter: %w", err)
	}
	if !ok {
		return fmt.Errorf("dead letter %s: %w", streamID, ErrRedriving)
	}
	defer func() { _ = releaseScript.Run(context.WithoutCancel(ctx), r.rdb, []string{claim}, token).Err() }()
	return r.redrive(ctx, streamID)
}

// redrive queues the dead letter streamID again and removes it.
func (r *Redis) redrive(ctx context.Context, streamID string) error {
	msgs, err := r.rdb.XRangeN(ctx, r.keys.dead(), streamID, streamID, 1).Result()
	if err != nil {
		return fmt.Errorf("reading dead letter: %w", err)
	}
	if len(msgs) == 0 {
		return fmt.Errorf("dead letter %s: %w", streamID, ErrNotFound)
	}
	d := deadLetter(msgs[0])
	m := d.Message
	if m.ID == "" || m.Phone == "" {
		return fmt.Errorf("dead letter %s: unreadable entry", streamID)
	}
	m.Attempts, m.NextAt, m.LastError = 0, time.Time{}, ""
	if err := r.IndexRef(ctx, m.Phone, m.ID); err != nil {
		return err
	}
	if err := r.requeue(ctx, m); err != nil {
		return err
	}
	if err := r.rdb.XDel(ctx, r.keys.dead(), streamID).Err(); err != nil {
		return fmt.Errorf("removing dead letter: %w", err)
	}
	return nil
}

// requeue appends m to its shopper's outbox and marks the shopper due.
func (r *Redis) requeue(ctx context.Context, m OutMessage) error {
	entry, err := encodeEntry(m)
	if err != nil {
		return fmt.Errorf("encoding outbox entry: %w", err)
	}
	now := r.cfg.Clock().UnixMilli()
	ks := []string{r.keys.out(m.Phone), r.keys.msg(m.Phone, m.ID)}
	if !r.cluster {
		ks = append(ks, r.keys.due())
	}
	err = requeueScript.Run(ctx, r.rdb, ks, entry, now, r.cfg.OutboxTTL.Milliseconds(), r.cfg.StatusTTL.Milliseconds(), m.Phone).Err()
	if err == nil && r.cluster {
		err = r.rdb.ZAddNX(ctx, r.keys.due(), redis.Z{Score: float64(now), Member: m.Phone}).Err()
	}
	if err != nil {
		return fmt.Errorf("queueing message again: %w", err)
	}
	return nil
}

// IndexRef records which shopper souk's message id belongs to, so status
// callbacks without a recipient find it. Senders call it before sending.
func (r *Redis) IndexRef(ctx context.Context, phone, id string) error {
	if err := r.rdb.Set(ctx, r.keys.ref(id), phone, r.cfg.StatusTTL).Err(); err != nil {
		return fmt.Errorf("indexing message: %w", err)
	}
	return nil
}

// Status implements Outbox.
func (r *Redis) Status(ctx context.Context, phone, id string) (MessageStatus, error) {
	if phone == "" {
		p, err := r.rdb.Get(ctx, r.keys.ref(id)).Result()
		if errors.Is(err, redis.Nil) {
			return MessageStatus{}, fmt.Errorf("message %s: %w", id, ErrNotFound)
		}
		if err != nil {
			return MessageStatus{}, fmt.Errorf("reading message index: %w", err)
		}
		phone = p
	}
	st := MessageStatus{ID: id, Phone: phone}
	v, err := r.rdb.Get(ctx, r.keys.msg(phone, id)).Result()
	if errors.Is(err, redis.Nil) {
		return r.legacyStatus(ctx, st)
	}
	if err != nil {
		return MessageStatus{}, fmt.Errorf("reading message status: %w", err)
	}
	if !decodeRecord(v, &st) {
		return MessageStatus{}, fmt.Errorf("message %s: unreadable status record %q", id, v)
	}
	return st, nil
}

// legacyStatus reads st's record from the layout before records were
// strings.
func (r *Redis) legacyStatus(ctx context.Context, st MessageStatus) (MessageStatus, error) {
	h, err := r.rdb.HGetAll(ctx, r.keys.legacyMsg(st.Phone, st.ID)).Result()
	if err != nil {
		return MessageStatus{}, fmt.Errorf("reading message status: %w", err)
	}
	if !legacyRecord(h, &st) {
		return MessageStatus{}, fmt.Errorf("message %s: %w", st.ID, ErrNotFound)
	}
	return st, nil
}

// StatusByMessageID implements Outbox.
func (r *Redis) StatusByMessageID(ctx context.Context, messageID string) (MessageStatus, error) {
	phone, id, err := r.byMessageID(ctx, messageID)
	if err != nil {
		return MessageStatus{}, err
	}
	if id == "" {
		return MessageStatus{}, fmt.Errorf("message_id %s: %w", messageID, ErrNotFound)
	}
	return r.Status(ctx, phone, id)
}

// byMessageID looks Kaleyra's message id up in the mid index, and in its
// layout before it was digested; an empty id when neither has it.
func (r *Redis) byMessageID(ctx context.Context, messageID string) (phone, id string, err error) {
	for _, k := range []string{r.keys.mid(messageID), r.keys.legacyMid(messageID)} {
		v, err := r.rdb.Get(ctx, k).Result()
		if errors.Is(err, redis.Nil) {
			continue
		}
		if err != nil {
			return "", "", fmt.Errorf("reading message index: %w", err)
		}
		phone, id, _ = strings.Cut(v, " ")
		return phone, id, nil
	}
	return "", "", nil
}

// UpdateStatus implements Outbox. A callback naming both the recipient
// and the ref, the common case, is applied in one round trip; the indexes
// are read only when no record is under that recipient.
func (r *Redis) UpdateStatus(ctx context.Context, u StatusUpdate) (bool, error) {
	if u.Phone != "" && u.Ref != "" {
		res, err := r.applyStatus(ctx, u.Phone, u.Ref, u)
		if err != nil || res != statusMissing {
			return res == statusApplied, err
		}
	}
	phone, id, err := r.locate(ctx, u)
	if err != nil || id == "" {
		return false, err
	}
	res, err := r.applyStatus(ctx, phone, id, u)
	return res == statusApplied, err
}

// What statusScript did with an update.
const (
	statusApplied = 1
	statusMissing = -1
)

// applyStatus runs statusScript on the record of phone's message id.
func (r *Redis) applyStatus(ctx context.Context, phone, id string, u StatusUpdate) (int64, error) {
	at := u.At
	if at.IsZero() {
		at = r.cfg.Clock()
	}
	ks := []string{r.keys.msg(phone, id), r.keys.legacyMsg(phone, id)}
	if u.MessageID != "" && !r.cluster {
		ks = append(ks, r.keys.mid(u.MessageID))
	}
	res, err := statusScript.Run(ctx, r.rdb, ks, u.Status, u.MessageID, u.Error, at.UnixMilli(),
		r.cfg.StatusTTL.Milliseconds(), phone+" "+id).Int64()
	if err != nil {
		return 0, fmt.Errorf("updating message status: %w", err)
	}
	if r.cluster && u.MessageID != "" && res != statusMissing {
		if err := r.rdb.SetNX(ctx, r.keys.mid(u.MessageID), phone+" "+id, r.cfg.StatusTTL).Err(); err != nil {
			return 0, fmt.Errorf("indexing message id: %w", err)
		}
	}
	return res, nil
}

// locate finds the record a status callback is about through the ref
// index, then through Kaleyra's message id.
func (r *Redis) locate(ctx context.Context, u StatusUpdate) (phone, id string, err error) {
	if u.Ref != "" {
		p, err := r.rdb.Get(ctx, r.keys.ref(u.Ref)).Result()
		if err == nil {
			return p, u.Ref, nil
		}
		if !errors.Is(err, redis.Nil) {
			return "", "", fmt.Errorf("locating message: %w", err)
		}
	}
	if u.MessageID == "" {
		return "", "", nil
	}
	phone, id, err = r.byMessageID(ctx, u.MessageID)
	if err != nil {
		return "", "", fmt.Errorf("locating message: %w", err)
	}
	return phone, id, nil
}

// Sweep implements Outbox.
func (r *Redis) Sweep(ctx context.Context) (int, error) {
	keys, err := r.scan(ctx, r.keys.outPattern())
	if err != nil {
		return 0, fmt.Errorf("sweeping outboxes: %w", err)
	}
	found := 0
	for _, k := range keys {
		phone := phoneOf(k)
		if phone == "" {
			continue
		}
		n, err := r.rdb.ZAddNX(ctx, r.keys.due(), redis.Z{Score: float64(r.cfg.Clock().UnixMilli()), Member: phone}).Result()
		if err != nil {
			return found, fmt.Errorf("sweeping outboxes: %w", err)
		}
		found += int(n)
	}
	return found, nil
}

// phoneOf extracts the hash-tagged phone from a shopper key.
func phoneOf(key string) string {
	_, rest, ok := strings.Cut(key, "{")
	if !ok {
		return ""
	}
	phone, _, _ := strings.Cut(rest, "}")
	return phone
}

func newToken() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
