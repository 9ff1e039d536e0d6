package store

import "github.com/redis/go-redis/v9"

// statusRank orders statuses so that none goes back, for statusScript;
// recordSent (record.go) spells out the one step a send may take.
// A failure outranks sent but not delivered or read: a message reported
// delivered cannot have failed, so a late failure is stale and ignored,
// while a delivery reported after a failure wins. dead (souk gave up) is
// final.
const statusRank = `
local rank = {queued = 0, sent = 1, failed = 2, ['not sent'] = 2, delivered = 3, read = 4, dead = 5}
local function advances(cur, new)
  return (rank[new] or -1) > (rank[cur] or -1)
end
`

// isHead reports whether the outbox entry head is the message id. An
// entry is the JSON encodeEntry writes for an OutMessage, the bytes of
// encoding/json, so it starts with {"id":"<id>"; comparing that prefix
// spares decoding the whole entry, which is done only for an id that would
// need escaping.
const isHead = `
local function isHead(head, id)
  local idp = '{"id":"' .. id .. '"'
  if string.find(id, '[%c"\\<>&]') or string.sub(head, 1, #idp) ~= idp then
    return cjson.decode(head).id == id
  end
  return true
end
`

// handBack ends a drain script that found the outbox empty: it drops the
// lease and removes the shopper from the due set, answering 0; on Cluster,
// where due (nil) is in another slot, it drops the lease and answers 1 for
// the caller to settle the due set itself. The lease goes in the same step
// that found the outbox empty, so that a commit right after sees no sender
// and leases the outbox itself rather than count on this one.
const handBack = `
local function handBack(due, lease, phone)
  redis.call('DEL', lease)
  if not due then return 1 end
  redis.call('ZREM', due, phone)
  return 0
end
`

// headCheck fences every head operation: KEYS[1] lease, KEYS[2] out;
// ARGV[1] token, ARGV[2] id. -1 lease lost, -2 the head is another message.
const headCheck = isHead + `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
local head = redis.call('LINDEX', KEYS[2], '0')
if not head or not isHead(head, ARGV[2]) then return -2 end
`

// sentScript: KEYS[1] lease, KEYS[2] out, KEYS[3] msg; ARGV[1] token,
// ARGV[2] id, ARGV[3] Kaleyra message id, ARGV[4] now ms, ARGV[5] lease ms,
// ARGV[6] status TTL ms, ARGV[7] phone, ARGV[8] attempts.
var sentScript = redis.NewScript(recordLua + headCheck + `
redis.call('LTRIM', KEYS[2], '1', '-1')
redis.call('PEXPIRE', KEYS[1], ARGV[5])
recordSent(KEYS[3], ARGV[8], ARGV[4], ARGV[3], ARGV[6])
return 1
`)

// retryScript: KEYS[1] lease, KEYS[2] out, KEYS[3] msg; ARGV[1] token,
// ARGV[2] id, ARGV[3] new entry JSON, ARGV[4] now ms, ARGV[5] lease ms,
// ARGV[6] attempts, ARGV[7] error, ARGV[8] status TTL ms. A record gone
// is written again as queued.
var retryScript = redis.NewScript(recordLua + headCheck + `
redis.call('LSET', KEYS[2], '0', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
local old = redis.call('GET', KEYS[3])
local r = rec(old)
if old then
  redis.call('SET', KEYS[3], recStr(r[1], ARGV[6], ARGV[4], r[4], ARGV[7]), 'KEEPTTL')
else
  redis.call('SET', KEYS[3], recStr('queued', ARGV[6], ARGV[4], '', ARGV[7]), 'PX', ARGV[8])
end
return 1
`)

// deadScript: KEYS[1] lease, KEYS[2] out, KEYS[3] msg, KEYS[4] the
// dead-letter stream (absent on Cluster, where the caller appends the
// letter itself); ARGV[1] token, ARGV[2] id, ARGV[3] now ms, ARGV[4] lease
// ms, ARGV[5] reason, ARGV[6] phone, ARGV[7] status TTL ms, ARGV[8]
// attempts, ARGV[9] the stream's approximate length cap, ARGV[10] entry
// JSON. The letter is appended in the step that takes the message off the
// outbox, so a sender that lost its lease meanwhile appends nothing.
var deadScript = redis.NewScript(recordLua + headCheck + `
if KEYS[4] then
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[9], '*',
    'phone', ARGV[6], 'entry', ARGV[10], 'reason', ARGV[5], 'at', ARGV[3])
end
redis.call('LTRIM', KEYS[2], '1', '-1')
redis.call('PEXPIRE', KEYS[1], ARGV[4])
local r = rec(redis.call('GET', KEYS[3]))
redis.call('SET', KEYS[3], recStr('dead', ARGV[8], ARGV[3], r[4], ARGV[5]), 'PX', ARGV[7])
return 1
`)

// headHeldScript answers 1 when the lease and the head are still the
// caller's, else as headCheck: KEYS[1] lease, KEYS[2] out; ARGV[1] token,
// ARGV[2] id. It writes nothing.
var headHeldScript = redis.NewScript(headCheck + `
return 1
`)

// releaseScript: KEYS[1] lease; ARGV[1] token. Deletes the lease if it is
// still ours.
var releaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`)

// statusScript: KEYS[1] msg, KEYS[2] the legacy record (moved to KEYS[1]
// when KEYS[1] is missing), KEYS[3] the message-id index key of ARGV[2]
// (absent when ARGV[2] is empty, and on Cluster, where the caller writes
// it); ARGV[1] status, ARGV[2] the callback's message id (may be empty),
// ARGV[3] error, ARGV[4] now ms, ARGV[5] status TTL ms, ARGV[6] the index
// value ("phone id"). Returns 1 when applied, 0 when it would go back, -1
// when the record does not exist.
//
// The record keeps the message id the send returned: a callback may carry
// another for the same message (a wamid where the send answered
// Kaleyra's id), which is indexed beside it, unless the index already
// names another message, and recorded only when the record had none. A
// delivered or read message drops the error of its earlier attempts.
var statusScript = redis.NewScript(statusRank + recordLua + migrateLua + `
local v = redis.call('GET', KEYS[1]) or migrate(KEYS[1], KEYS[2], ARGV[5])
if not v then return -1 end
local r = rec(v)
if KEYS[3] and ARGV[2] ~= r[4] then
  redis.call('SET', KEYS[3], ARGV[6], 'NX', 'PX', ARGV[5])
end
local fill = r[4] == '' and ARGV[2] ~= ''
if not advances(r[1], ARGV[1]) then
  if fill then redis.call('SET', KEYS[1], recStr(r[1], r[2], r[3], ARGV[2], r[5]), 'KEEPTTL') end
  return 0
end
local m, e = r[4], ARGV[3]
if fill then m = ARGV[2] end
if e == '' and ARGV[1] ~= 'delivered' and ARGV[1] ~= 'read' then e = r[5] end
redis.call('SET', KEYS[1], recStr(ARGV[1], r[2], ARGV[4], m, e), 'KEEPTTL')
return 1
`)

// requeueScript: KEYS[1] out, KEYS[2] msg, KEYS[3] due (absent on
// Cluster); ARGV[1] entry JSON, ARGV[2] now ms, ARGV[3] outbox TTL ms,
// ARGV[4] status TTL ms, ARGV[5] phone.
var requeueScript = redis.NewScript(recordLua + `
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
local r = rec(redis.call('GET', KEYS[2]))
redis.call('SET', KEYS[2], recStr('queued', '0', ARGV[2], r[4], ''), 'PX', ARGV[4])
if #KEYS > 2 then redis.call('ZADD', KEYS[3], 'NX', ARGV[2], ARGV[5]) end
return 1
`)
