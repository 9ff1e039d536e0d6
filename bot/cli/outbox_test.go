package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/souk-commerce/souk/store"
	"github.com/souk-commerce/souk/store/storetest"
)

func TestOutboxCommand(t *testing.T) {
	url, prefix := storetest.RedisURL(t), storetest.Prefix()
	st := storetest.OpenRedis(t, url, prefix, 1)[0]
	ctx := context.Background()
	const phone = "919876543210"
	m := store.OutMessage{ID: "m1", Payload: []byte(`{}`)}
	if err := st.Commit(ctx, store.Commit{Conversation: store.Conversation{Phone: phone, State: "s"}, MessageID: "w1", TTL: time.Hour, Outbox: []store.OutMessage{m}}); err != nil {
		t.Fatal(err)
	}
	tok, _ := st.Lease(ctx, phone, time.Minute)
	m.Phone, m.Attempts = phone, 1
	if err := st.Dead(ctx, phone, tok, m, "not retryable: WA400"); err != nil {
		t.Fatal(err)
	}
	_ = st.Release(ctx, phone, tok)

	run := func(args ...string) (int, string) {
		var out, errb bytes.Buffer
		env := &Env{Stdout: &out, Stderr: &errb, Getenv: func(k string) string {
			return map[string]string{"REDIS_URL": url, "SOUK_REDIS_PREFIX": prefix}[k]
		}}
		return Run(ctx, env, append([]string{"outbox"}, args...)), out.String() + errb.String()
	}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"list shows the letter, phone masked", []string{"list"}, 0, `"reason":"not retryable: WA400"`},
		{"status of the dead message", []string{"status", "--phone", phone, "m1"}, 0, `"status":"dead"`},
		{"redrive all", []string{"redrive", "--all"}, 0, "requeued"},
		{"list is empty", []string{"list"}, 0, "0 dead letter(s)"},
		{"redrive all with none left", []string{"redrive", "--all"}, 0, "nothing to re-drive"},
		{"status is queued again", []string{"status", "--phone", phone, "m1"}, 0, `"status":"queued"`},
		{"status without the phone", []string{"status", "m1"}, 0, `"status":"queued"`},
		{"status for another shopper", []string{"status", "--phone", "919876543211", "m1"}, 1, "no message m1 to 91*******211"},
		{"status with a bad phone", []string{"status", "--phone", "123", "m1"}, 2, "neither an E.164 phone number"},
		{"status of an unknown id", []string{"status", "nope"}, 1, "no message nope: neither souk's id nor a message_id it recorded"},
		{"redrive without ids", []string{"redrive"}, 2, "--all"},
		{"list with a limit under 1", []string{"list", "--limit", "0"}, 2, "--limit must be at least 1"},
		{"unknown subcommand", []string{"frobnicate"}, 2, "unknown subcommand"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out := run(tc.args...)
			if code != tc.code || !strings.Contains(out, tc.want) {
				t.Fatalf("exit %d, output %q; want %d and %q", code, out, tc.code, tc.want)
			}
			if strings.Contains(out, phone) {
				t.Fatalf("unmasked phone in output %q", out)
			}
		})
	}
	if h, ok, _ := st.Head(ctx, phone); !ok || h.ID != "m1" || h.Attempts != 0 {
		t.Fatalf("outbox head after redrive = %+v, %v", h, ok)
	}
}
