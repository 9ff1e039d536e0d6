package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// DeadLetterAdder dead-letters a message that never entered an outbox (a
// reply refused before it was queued). *Redis implements it.
type DeadLetterAdder interface {
	// AddDeadLetter appends m to the dead-letter stream with reason, in the
	// same form as Outbox.Dead, and records its status as dead.
	AddDeadLetter(ctx context.Context, m OutMessage, reason string) error
}

// OutboxStats is a cheap picture of the outbox for the gauges.
type OutboxStats struct {
	// Shoppers is how many shoppers have a non-empty outbox.
	Shoppers int
	// Messages is how many replies wait in those outboxes. It is exact
	// when Exact; otherwise the outboxes beyond the ones looked at count
	// one message each, so it is a lower bound.
	Messages int
	Exact    bool
	// Oldest is when the oldest head message looked at was queued; zero
	// when the outbox is empty.
	Oldest time.Time
}

// OutboxStatser reports OutboxStats. *Redis implements it.
type OutboxStatser interface {
	OutboxStats(ctx context.Context, limit int) (OutboxStats, error)
}

var (
	_ DeadLetterAdder = (*Redis)(nil)
	_ OutboxStatser   = (*Redis)(nil)
)

// AddDeadLetter implements DeadLetterAdder: the letter goes to the stream
// first, then the message's status record and ref index are written, so
// `souk outbox list`, `status` and `redrive` treat it like any other.
func (r *Redis) AddDeadLetter(ctx context.Context, m OutMessage, reason string) error {
	if m.ID == "" || m.Phone == "" {
		return errors.New("dead-lettering: message without id or phone")
	}
	now := r.cfg.Clock()
	if m.Queued.IsZero() {
		m.Queued = now
	}
	entry, err := encodeEntry(m)
	if err != nil {
		return fmt.Errorf("encoding outbox entry: %w", err)
	}
	if err := r.appendDeadLetter(ctx, m.Phone, entry, reason, now); err != nil {
		return err
	}
	rec := encodeRecord(MessageStatus{Status: StatusDead, Error: reason, Attempts: m.Attempts, Updated: now})
	_, err = r.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, r.keys.msg(m.Phone, m.ID), rec, r.cfg.StatusTTL)
		p.Set(ctx, r.keys.ref(m.ID), m.Phone, r.cfg.StatusTTL)
		return nil
	})
	if err != nil {
		return fmt.Errorf("recording dead letter status: %w", err)
	}
	return nil
}

// OutboxStats implements OutboxStatser in two round trips whatever the
// load: the size of the due set with the at most limit shoppers due
// soonest, then the length and head of their outboxes.
func (r *Redis) OutboxStats(ctx context.Context, limit int) (OutboxStats, error) {
	var st OutboxStats
	n, phones, err := r.dueSoonest(ctx, limit)
	if err != nil {
		return st, fmt.Errorf("reading outbox stats: %w", err)
	}
	st.Shoppers, st.Exact = int(n), true
	if n == 0 || limit <= 0 {
		st.Messages, st.Exact = st.Shoppers, n == 0
		return st, nil
	}
	lens := make([]*redis.IntCmd, len(phones))
	heads := make([]*redis.StringCmd, len(phones))
	_, err = r.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, phone := range phones {
			lens[i] = p.LLen(ctx, r.keys.out(phone))
			heads[i] = p.LIndex(ctx, r.keys.out(phone), 0)
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return st, fmt.Errorf("reading outbox stats: %w", err)
	}
	for i := range phones {
		st.Messages += int(lens[i].Val())
		raw, err := heads[i].Result()
		if err != nil {
			continue
		}
		var head struct {
			Queued time.Time `json:"queued"`
		}
		if json.Unmarshal([]byte(raw), &head) == nil && !head.Queued.IsZero() &&
			(st.Oldest.IsZero() || head.Queued.Before(st.Oldest)) {
			st.Oldest = head.Queued
		}
	}
	if rest := st.Shoppers - len(phones); rest > 0 {
		st.Messages += rest
		st.Exact = false
	}
	return st, nil
}

// dueSoonest returns, in one round trip, the size of the due set and the
// (at most limit) shoppers due soonest.
func (r *Redis) dueSoonest(ctx context.Context, limit int) (int64, []string, error) {
	var phones *redis.StringSliceCmd
	pipe := r.rdb.Pipeline()
	card := pipe.ZCard(ctx, r.keys.due())
	if limit > 0 {
		phones = pipe.ZRange(ctx, r.keys.due(), 0, int64(limit-1))
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return 0, nil, err
	}
	if phones == nil {
		return card.Val(), nil, nil
	}
	return card.Val(), phones.Val(), nil
}
