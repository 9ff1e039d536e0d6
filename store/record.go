package store

import (
	"strconv"
	"strings"
	"time"
)

// A message's status record is one string, its fields joined by the unit
// separator (0x1F), which message ids and error texts lose (statuses are
// souk's own words, counts and times digits):
//
//	status \x1f attempts \x1f updated (Unix ms) \x1f message_id \x1f error
//
// One string rather than a hash, so that a record is written with its
// TTL in one command and a send recorded with one SET ... GET: a record
// costs about a third less memory, and each reply takes three Redis
// commands fewer, than with a hash of fields.
const recordSep = "\x1f"

// recordLua reads and writes records in scripts. rec parses one (nil or
// unreadable: a record with status ""), recStr builds one, and recordSent
// records a send: the record becomes sent unless a callback already took
// it further, and keeps its error; only that rare case costs a second
// command.
const recordLua = `
local function rec(v)
  if v then
    local s, a, u, m, e = string.match(v, '^([^\31]*)\31([^\31]*)\31([^\31]*)\31([^\31]*)\31(.*)$')
    if s then return {s, a, u, m, e} end
  end
  return {'', '0', '0', '', ''}
end
local function recStr(s, a, u, m, e)
  return s .. '\31' .. a .. '\31' .. u .. '\31' .. (string.gsub(m, '\31', ' ')) .. '\31' .. (string.gsub(e, '\31', ' '))
end
local function recordSent(key, attempts, now, mid, ttl)
  local old = redis.call('SET', key, recStr('sent', attempts, now, mid, ''), 'PX', ttl, 'GET')
  if not old then return end
  local r = rec(old)
  local st = r[1]
  if st == 'queued' or st == '' then st = 'sent' end
  if st ~= 'sent' or r[5] ~= '' then
    redis.call('SET', key, recStr(st, attempts, now, mid, r[5]), 'PX', ttl)
  end
end
`

// encodeRecord is the record of st, as the scripts write it.
func encodeRecord(st MessageStatus) string {
	return strings.Join([]string{st.Status, strconv.Itoa(st.Attempts), strconv.FormatInt(st.Updated.UnixMilli(), 10),
		strings.ReplaceAll(st.MessageID, recordSep, " "), strings.ReplaceAll(st.Error, recordSep, " ")}, recordSep)
}

// decodeRecord reads a record into st (which names the message); false
// when v is not one.
func decodeRecord(v string, st *MessageStatus) bool {
	f := strings.SplitN(v, recordSep, 5)
	if len(f) != 5 {
		return false
	}
	st.Status, st.MessageID, st.Error = f[0], f[3], f[4]
	st.Attempts, _ = strconv.Atoi(f[1])
	if ms, err := strconv.ParseInt(f[2], 10, 64); err == nil {
		st.Updated = time.UnixMilli(ms)
	}
	return true
}

// legacyRecord reads a record in the layout before records were strings:
// a hash under <prefix>:{<phone>}:msg:<id>. Records in it are read, and
// moved to the string layout by the first status callback that finds
// them; they expire within StatusTTL of the upgrade.
func legacyRecord(h map[string]string, st *MessageStatus) bool {
	if len(h) == 0 {
		return false
	}
	st.Status, st.MessageID, st.Error = h["status"], h["message_id"], h["error"]
	st.Attempts, _ = strconv.Atoi(h["attempts"])
	if ms, err := strconv.ParseInt(h["updated"], 10, 64); err == nil {
		st.Updated = time.UnixMilli(ms)
	}
	return true
}

// migrateLua moves a legacy hash record (old) to the string record key,
// keeping its TTL (ttl ms when it had none); it returns the record, or nil
// when there is none.
const migrateLua = `
local function migrate(key, old, fallback)
  local h = redis.call('HMGET', old, 'status', 'attempts', 'updated', 'message_id', 'error')
  if not h[1] then return nil end
  local v = recStr(h[1], h[2] or '0', h[3] or '0', h[4] or '', h[5] or '')
  local ttl = redis.call('PTTL', old)
  if ttl <= 0 then ttl = fallback end
  redis.call('SET', key, v, 'PX', ttl)
  redis.call('DEL', old)
  return v
end
`
