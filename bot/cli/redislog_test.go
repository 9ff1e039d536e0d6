package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// TestRedisLoggerIsJSONAndRedacted checks that a message of the Redis
// client becomes one JSON warn line with the Redis password hidden.
func TestRedisLoggerIsJSONAndRedacted(t *testing.T) {
	var buf bytes.Buffer
	log := redactedLogger(newLogger(&buf, nil), serveConfig{redisURL: "redis://:s3cretPW@127.0.0.1:1/0"})
	redisLogger{log: log}.Printf(context.Background(), "redis: dial %s: %s", "redis://:s3cretPW@127.0.0.1:1", "connection refused")
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatalf("not one JSON line: %q (%v)", buf.String(), err)
	}
	detail, _ := line["detail"].(string)
	if line["level"] != "WARN" || line["msg"] != "redis client" || !strings.Contains(detail, "connection refused") {
		t.Errorf("line = %v", line)
	}
	if strings.Contains(buf.String(), "s3cretPW") {
		t.Errorf("the Redis password is in the log: %s", buf.String())
	}
}
