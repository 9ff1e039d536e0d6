package cli

import (
	"io"
	"strings"
	"testing"
)

// TestParseSendReadsStoreSettings checks that souk send takes the store's
// and the outbox's settings from the environment, as serve does.
func TestParseSendReadsStoreSettings(t *testing.T) {
	vars := map[string]string{"SOUK_FLOW": "f.yaml", "SOUK_REDIS_PREFIX": "shop2", "SOUK_OUTBOX_MAX_ATTEMPTS": "3", "SOUK_OUTBOX_SENDS": "128"}
	env := &Env{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(k string) string { return vars[k] }}
	args := []string{"--template", "t", "--language", "en", "--product", "p", "+919800000001"}
	c, _, err := parseSend(env, args)
	if err != nil || c.store.Prefix != "shop2" || c.outbox.MaxAttempts != 3 || c.outbox.Sends != 128 {
		t.Fatalf("prefix %q, max attempts %d, sends %d, err %v; want shop2, 3, 128, nil", c.store.Prefix, c.outbox.MaxAttempts, c.outbox.Sends, err)
	}
	vars["SOUK_OUTBOX_MAX_ATTEMPTS"] = "many"
	if _, _, err := parseSend(env, args); err == nil || !strings.Contains(err.Error(), "SOUK_OUTBOX_MAX_ATTEMPTS") {
		t.Fatalf("err %v, want one naming SOUK_OUTBOX_MAX_ATTEMPTS", err)
	}
}
