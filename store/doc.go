// Package store keeps conversations in Redis; it is the only package that
// talks to Redis.
//
// Key layout (every key of one shopper shares the {phone} Cluster hash tag,
// and every key starts with the configurable prefix, "souk" by default):
//
//	<prefix>:{<phone>}:conv         hash: v = version, d = conversation JSON; TTL = the flow's session_ttl
//	<prefix>:{<phone>}:seen:<digest> "1" once a message moved the conversation; TTL = DedupTTL (7 days);
//	                                 digest = base64url of the first 12 bytes of SHA-256(message id)
//
// A move is committed by one Lua script that checks the message was not seen,
// checks the version the engine loaded is still current, writes the new
// conversation and marks the message seen, so two servers sharing one Redis
// can neither interleave nor double a move.
package store
