package store

import (
	"crypto/rand"
	"encoding/base64"
	"slices"
	"sync"
)

// DefaultCachedConversations is how many conversations a Redis store keeps
// in process memory (Config.CachedConversations).
const DefaultCachedConversations = 10000

// recentIDs is how many message ids a cached conversation remembers as
// applied, so that a platform retry is known as one without Redis.
const recentIDs = 4

// convCache keeps the conversations this process committed last, as the
// store wrote them, so that the next event of the same shopper needs no
// round trip to load it. An entry may be stale (another process moved the
// conversation since, or it expired): the commit's version check then
// fails, and the conflict brings the current conversation back into the
// cache for the retry. The dedup check at commit stays authoritative.
type convCache struct {
	mu      sync.Mutex
	max     int
	entries map[string]cachedConv
}

// cachedConv is one conversation as stored: its revision and JSON (empty
// for a conversation that does not exist), and the ids of the messages
// this process applied to it last.
type cachedConv struct {
	revision
	data []byte
	ids  []string
}

// revision is what a commit's check compares: the conversation's version
// and its generation (see commitScript).
type revision struct {
	version int64
	gen     string
}

// newGeneration names a conversation about to be created.
func newGeneration() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func newConvCache(max int) *convCache {
	if max <= 0 {
		return nil
	}
	return &convCache{max: max, entries: make(map[string]cachedConv)}
}

// get returns phone's entry; a nil cache has none.
func (c *convCache) get(phone string) (cachedConv, bool) {
	if c == nil {
		return cachedConv{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[phone]
	return e, ok
}

// committed records the conversation a commit of messageID wrote; data is
// kept, not copied, so the caller must not change it afterwards.
func (c *convCache) committed(phone string, rev revision, data []byte, messageID string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	ids := c.entries[phone].ids
	if messageID != "" {
		ids = append(slices.Clone(ids[max(0, len(ids)-recentIDs+1):]), messageID)
	}
	c.put(phone, cachedConv{revision: rev, data: data, ids: ids})
}

// current records the conversation found by a commit that lost the race.
func (c *convCache) current(phone string, rev revision, data string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.put(phone, cachedConv{revision: rev, data: []byte(data)})
}

// put stores e, first dropping an arbitrary entry when the cache is full.
// Callers hold mu.
func (c *convCache) put(phone string, e cachedConv) {
	if _, ok := c.entries[phone]; !ok && len(c.entries) >= c.max {
		for p := range c.entries {
			delete(c.entries, p)
			break
		}
	}
	c.entries[phone] = e
}

// forget drops phone's entry.
func (c *convCache) forget(phone string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, phone)
}

// applied reports whether this process applied messageID to e last.
func (e cachedConv) applied(messageID string) bool {
	return slices.Contains(e.ids, messageID)
}

// conversation decodes e as SeenLoad returns it.
func (e cachedConv) conversation(phone string) (Conversation, error) {
	if e.version == 0 {
		return Conversation{Phone: phone}, nil
	}
	c, err := decodeData(phone, e.version, e.data)
	c.gen = e.gen
	return c, err
}
