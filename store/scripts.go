package store

import "github.com/redis/go-redis/v9"

// commitScript: KEYS[1] conv, KEYS[2] seen, KEYS[3] out, KEYS[4] lease,
// KEYS[5] due, KEYS[6] handoffs and KEYS[7] idle (all absent on Cluster, where the
// caller writes them itself); ARGV[1] expected version, ARGV[2] conversation JSON, ARGV[3]
// conv TTL ms, ARGV[4] dedup TTL ms, ARGV[5] "1" when KEYS[2] is to be
// checked and set, ARGV[6] outbox TTL ms, ARGV[7] status TTL ms, ARGV[8]
// now ms, ARGV[9] the prefix of status record keys (each set to a queued
// record, record.go), ARGV[10] phone,
// ARGV[11] a lease token or "", ARGV[12] lease ms, ARGV[13] the
// conversation's generation (a new one when ARGV[1] is 0), ARGV[14] the
// Unix ms the shopper was handed off to a person, or "", ARGV[15] the
// Unix ms the state's idle timer is due (Conversation.IdleAt), or "",
// ARGV[16] the shopper's opt-out key when the move changes it (Commit.Opt),
// else "", ARGV[17] the Unix ms they opted out, or "" when they opted in
// (the key is deleted), ARGV[18] the version the commit makes (ARGV[1] + 1),
// ARGV[19] the Unix ms the lease ends (ARGV[8] + ARGV[12]), then one (id,
// entry JSON) pair per outbound message; KEYS[8...] (absent on Cluster)
// are the ref index keys of those messages, set to the phone for the
// status TTL. Returns {new version, handover}, where handover is 1 when
// the outbox was leased with ARGV[11], 2 when another sender holds it (and
// so goes on to these replies), else 0; or {-1} duplicate; or, on a
// conflict, {-2, current version, current JSON, current generation},
// which the caller's cache keeps for the retry.
//
// The generation tells a conversation from an earlier one of the same
// shopper that expired or was deleted: versions start again at 1, so a
// version kept in some process's memory from before could otherwise pass
// the check and overwrite the newer conversation. A hash written before
// generations existed has none, which matches "".
//
// The outbox is leased only when it was empty and free, so that it then
// holds exactly this move's replies; the shopper is marked due at the
// lease's end, for another sender to take over should this one die.
//
// The status record keys and the opt-out key share KEYS[1]'s hash tag, so
// the script stays in one Cluster slot.
var commitScript = redis.NewScript(`
local seen = ARGV[5] == '1'
local cur = redis.call('HMGET', KEYS[1], 'v', 'g')
local v = cur[1] or '0'
if v ~= ARGV[1] or (v ~= '0' and (cur[2] or '') ~= ARGV[13]) then
  if seen and redis.call('EXISTS', KEYS[2]) == 1 then return {-1} end
  return {-2, tonumber(v), redis.call('HGET', KEYS[1], 'd') or '', cur[2] or ''}
end
if seen and not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[4]) then return {-1} end
if v == '0' then
  redis.call('HSET', KEYS[1], 'v', '1', 'd', ARGV[2], 'g', ARGV[13])
else
  redis.call('HSET', KEYS[1], 'v', ARGV[18], 'd', ARGV[2])
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
if ARGV[14] ~= '' and #KEYS > 5 then redis.call('ZADD', KEYS[6], ARGV[14], ARGV[10]) end
if ARGV[15] ~= '' and #KEYS > 6 then redis.call('ZADD', KEYS[7], ARGV[15], ARGV[10]) end
if ARGV[16] ~= '' then
  if ARGV[17] == '' then redis.call('DEL', ARGV[16]) else redis.call('SET', ARGV[16], ARGV[17]) end
end
local leased = 0
if ARGV[11] ~= '' and #ARGV > 19 then
  if redis.call('LLEN', KEYS[3]) == 0 then
    if redis.call('SET', KEYS[4], ARGV[11], 'NX', 'PX', ARGV[12]) then leased = 1 else leased = 2 end
  elseif redis.call('EXISTS', KEYS[4]) == 1 then
    leased = 2
  end
end
local n = 0
local queued = 'queued\31' .. '0\31' .. ARGV[8] .. '\31\31'
for i = 20, #ARGV, 2 do
  redis.call('RPUSH', KEYS[3], ARGV[i+1])
  redis.call('SET', ARGV[9] .. ARGV[i], queued, 'PX', ARGV[7])
  n = n + 1
  if #KEYS > 7 then redis.call('SET', KEYS[7 + n], ARGV[10], 'PX', ARGV[7]) end
end
if n > 0 then
  redis.call('PEXPIRE', KEYS[3], ARGV[6])
  if #KEYS > 4 then
    local due = ARGV[8]
    if leased == 1 then due = ARGV[19] end
    redis.call('ZADD', KEYS[5], 'NX', due, ARGV[10])
  end
end
return {tonumber(ARGV[18]), leased}
`)

// rewriteScript replaces a conversation if its version and generation are
// still ARGV[1] and ARGV[3], keeping its TTL: KEYS[1] conv; ARGV[2]
// conversation JSON. Returns the new version, or -2 on a conflict or a
// conversation that is gone.
var rewriteScript = redis.NewScript(`
local cur = redis.call('HMGET', KEYS[1], 'v', 'g')
local v = tonumber(cur[1] or '0')
if v == 0 or v ~= tonumber(ARGV[1]) or (cur[2] or '') ~= ARGV[3] then return -2 end
redis.call('HSET', KEYS[1], 'v', v + 1, 'd', ARGV[2])
return v + 1
`)
