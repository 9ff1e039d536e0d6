package store

import (
	"encoding/json"
	"testing"
	"time"
)

// FuzzEncodeEntry checks that encodeEntry returns what json.Marshal
// returns for any message. NextAt is zero when nextNanos is 0; both times
// are in a fixed zone of zoneOffset seconds.
func FuzzEncodeEntry(f *testing.F) {
	seeds := []struct {
		id, phone, lastError string
		payload              string
		attempts             int
		queuedNanos          int64
		nextNanos            int64
		zoneOffset           int
	}{
		{"01J9Z8ZK3QW4T6Y8E2R5N7M9P1", "919876543210", "", textPayload, 0, queued.UnixNano(), 0, 0},
		{"a", "919876543210", "kaleyra: 503 Service Unavailable", string(listPayload(3)), 2, queued.UnixNano(), queued.UnixNano() + 1500, 19800},
		{`a"b\c<d>&e`, "\x00\x1f\u2028", "\xff\xc3 é 🍕 \u2029", `{"a":"b \" \\ \u2028","c":[1,-2.5e10,true,false,null]}`, -1, 1, 1, -12600},
		{"a", "", "", `{"a": [1, 2]}`, 0, 0, 0, 0},
		{"a", "", "", "\"<b>&\u2028\"", 0, 0, 0, 0},
		{"a", "", "", `{"a":`, 0, 0, 0, 0},
		{"a", "", "", "", 0, 0, 0, 0},
		{"a", "", "", `"x\"y"`, 1, -1, 1, 86400},
	}
	for _, s := range seeds {
		f.Add(s.id, s.phone, s.lastError, []byte(s.payload), s.attempts, s.queuedNanos, s.nextNanos, s.zoneOffset)
	}
	f.Fuzz(func(t *testing.T, id, phone, lastError string, payload []byte, attempts int, queuedNanos, nextNanos int64, zoneOffset int) {
		zone := time.FixedZone("", zoneOffset)
		m := OutMessage{ID: id, Phone: phone, Payload: json.RawMessage(payload), Attempts: attempts,
			LastError: lastError, Queued: time.Unix(0, queuedNanos).In(zone)}
		if nextNanos != 0 {
			m.NextAt = time.Unix(0, nextNanos).In(zone)
		}
		requireSameAsMarshal(t, m)
	})
}
