package store

import "github.com/redis/go-redis/v9"

// commitScript: KEYS[1] conv, KEYS[2] seen (optional);
// ARGV[1] expected version, ARGV[2] conversation JSON, ARGV[3] conv TTL ms,
// ARGV[4] dedup TTL ms. Returns the new version, -1 duplicate, -2 conflict.
var commitScript = redis.NewScript(`
if #KEYS > 1 and redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
local v = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if v ~= tonumber(ARGV[1]) then return -2 end
redis.call('HSET', KEYS[1], 'v', v + 1, 'd', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
if #KEYS > 1 then redis.call('SET', KEYS[2], '1', 'PX', ARGV[4]) end
return v + 1
`)
