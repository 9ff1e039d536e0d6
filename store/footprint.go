package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// KeyUsage is what one Redis key costs: its name, the bytes Redis reports
// for it (MEMORY USAGE, key and value with overheads) and its time to live.
type KeyUsage struct {
	Key   string
	Bytes int64
	TTL   time.Duration // negative when the key never expires
}

// Footprint lists every key of phone's shopper with its memory and TTL, in
// key order: the keys under its hash tag, then the index entries of its
// outbound messages (souk's id and Kaleyra's message_id, found through the
// status records). It needs a real Redis: the embedded one has no MEMORY
// USAGE.
func (r *Redis) Footprint(ctx context.Context, phone string) ([]KeyUsage, error) {
	keys, err := r.scan(ctx, r.keys.shopper(phone)+":*")
	if err != nil {
		return nil, err
	}
	sort.Strings(keys)
	var index []string
	msgPrefix := r.keys.msg(phone, "")
	for _, k := range keys {
		id, ok := strings.CutPrefix(k, msgPrefix)
		if !ok {
			continue
		}
		index = append(index, r.keys.ref(id))
		var st MessageStatus
		if v, err := r.rdb.Get(ctx, k).Result(); err == nil && decodeRecord(v, &st) && st.MessageID != "" {
			index = append(index, r.keys.mid(st.MessageID))
		}
	}
	sort.Strings(index)
	index = slices.Compact(index)
	for _, k := range index {
		if n, err := r.rdb.Exists(ctx, k).Result(); err == nil && n == 1 {
			keys = append(keys, k)
		}
	}
	out := make([]KeyUsage, 0, len(keys))
	for _, k := range keys {
		n, err := r.rdb.MemoryUsage(ctx, k).Result()
		if errors.Is(err, redis.Nil) {
			continue // gone since the scan
		}
		if err != nil {
			return nil, fmt.Errorf("memory usage of a shopper key: %w", err)
		}
		ttl, err := r.rdb.PTTL(ctx, k).Result()
		if err != nil {
			return nil, fmt.Errorf("ttl of a shopper key: %w", err)
		}
		out = append(out, KeyUsage{Key: k, Bytes: n, TTL: ttl})
	}
	return out, nil
}

// DeleteAll deletes every key under the store's prefix and returns how
// many it deleted. It is for tests and benchmarks that run on a prefix of
// their own; never call it on a prefix that live bots use. On a Cluster it
// scans every master.
func (r *Redis) DeleteAll(ctx context.Context) (int, error) {
	keys, err := r.scan(ctx, r.keys.prefix+":*")
	if err != nil {
		return 0, err
	}
	pipe := r.rdb.Pipeline()
	for _, k := range keys {
		pipe.Unlink(ctx, k)
	}
	if _, err := pipe.Exec(ctx); err != nil && len(keys) > 0 {
		return 0, fmt.Errorf("deleting keys: %w", err)
	}
	return len(keys), nil
}

// scan returns every key matching pattern, of every master on a Cluster.
func (r *Redis) scan(ctx context.Context, pattern string) ([]string, error) {
	var mu sync.Mutex
	var keys []string
	one := func(ctx context.Context, c redis.Cmdable) error {
		iter := c.Scan(ctx, 0, pattern, 1000).Iterator()
		for iter.Next(ctx) {
			mu.Lock()
			keys = append(keys, iter.Val())
			mu.Unlock()
		}
		return iter.Err()
	}
	var err error
	if c, ok := r.rdb.(*redis.ClusterClient); ok {
		err = c.ForEachMaster(ctx, func(ctx context.Context, node *redis.Client) error { return one(ctx, node) })
	} else {
		err = one(ctx, r.rdb)
	}
	if err != nil {
		return nil, fmt.Errorf("scanning keys: %w", err)
	}
	return keys, nil
}

// ServerCPU is the user and system CPU the Redis server has used so far,
// as INFO reports it (on Cluster, the node the client asks).
func (r *Redis) ServerCPU(ctx context.Context) (time.Duration, error) {
	info, err := r.rdb.Info(ctx, "cpu").Result()
	if err != nil {
		return 0, fmt.Errorf("reading Redis CPU: %w", err)
	}
	var total float64
	for line := range strings.SplitSeq(info, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), ":")
		if ok && (k == "used_cpu_sys" || k == "used_cpu_user") {
			f, _ := strconv.ParseFloat(v, 64)
			total += f
		}
	}
	return time.Duration(total * float64(time.Second)), nil
}
