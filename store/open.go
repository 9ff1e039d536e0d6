package store

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// Open connects to the Redis at rawURL; an empty rawURL starts an embedded
// in-process Redis (miniredis) that lives as long as the store, and
// embedded reports whether it did. See ParseURL for the forms accepted.
func Open(rawURL string, cfg Config) (s *Redis, embedded bool, err error) {
	if err := cfg.Validate(); err != nil {
		return nil, false, err
	}
	if rawURL == "" {
		return OpenEmbedded(cfg)
	}
	rdb, err := ParseURL(rawURL)
	if err != nil {
		return nil, false, err
	}
	return NewRedis(rdb, cfg), false, nil
}

// ParseURL builds a go-redis client from REDIS_URL:
//
//	redis://[user:pass@]host:port/db            one node (rediss:// for TLS)
//	redis://host1:port1,host2:port2             Cluster, seeded with every host
//	redis://host:port?addr=host2:port2          Cluster, the same with go-redis's form
//	redis+cluster://host:port                   Cluster from a single seed
//	redis://host:port/db?master_name=mymaster   Sentinel: the hosts are sentinels
//
// Any other query parameter is a go-redis option (dial_timeout=3s, ...).
func ParseURL(rawURL string) (redis.UniversalClient, error) {
	rawURL, hosts := splitHosts(rawURL)
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL: %w", redactURL(err))
	}
	q := u.Query()
	hosts = append([]string{u.Host}, hosts...)
	cluster := u.Scheme == "redis+cluster" || u.Scheme == "rediss+cluster" || q.Has("addr")
	u.Scheme = strings.TrimSuffix(u.Scheme, "+cluster")
	if len(hosts) > 1 {
		u.Host = hosts[0]
		for _, h := range hosts[1:] {
			q.Add("addr", h)
		}
		u.RawQuery = q.Encode()
	}
	switch {
	case q.Has("master_name"):
		opts, err := redis.ParseFailoverURL(u.String())
		if err != nil {
			return nil, fmt.Errorf("REDIS_URL (sentinel): %w", err)
		}
		return redis.NewFailoverClient(opts), nil
	case cluster || len(hosts) > 1:
		opts, err := redis.ParseClusterURL(u.String())
		if err != nil {
			return nil, fmt.Errorf("REDIS_URL (cluster): %w", err)
		}
		return redis.NewClusterClient(opts), nil
	}
	opts, err := redis.ParseURL(u.String())
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	return redis.NewClient(opts), nil
}

// splitHosts cuts "h1:p1,h2:p2" out of the URL's authority, keeping the
// first host in the URL and returning the others.
func splitHosts(raw string) (string, []string) {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return raw, nil
	}
	end := strings.IndexAny(rest, "/?")
	if end < 0 {
		end = len(rest)
	}
	auth, tail := rest[:end], rest[end:]
	user := ""
	if i := strings.LastIndex(auth, "@"); i >= 0 {
		user, auth = auth[:i+1], auth[i+1:]
	}
	hosts := strings.Split(auth, ",")
	return scheme + "://" + user + hosts[0] + tail, hosts[1:]
}

// redactURL drops the URL (which may hold a password) from a parse error.
func redactURL(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

// OpenEmbedded starts an in-process miniredis and a store on it.
func OpenEmbedded(cfg Config) (*Redis, bool, error) {
	mr := miniredis.NewMiniRedis()
	if err := mr.Start(); err != nil {
		return nil, false, fmt.Errorf("starting embedded redis: %w", err)
	}
	s := NewRedis(redis.NewClient(&redis.Options{Addr: mr.Addr()}), cfg)
	s.closers = append(s.closers, func() error { mr.Close(); return nil })
	return s, true, nil
}
