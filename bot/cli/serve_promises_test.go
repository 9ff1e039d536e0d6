package cli

import (
	"bytes"
	"net/url"
	"strings"
	"testing"

	"github.com/souk-commerce/souk/store/storetest"
)

// TestServeRefusesInvalidFlow checks that serve refuses to start on an
// invalid flow, with the messages validate prints.
func TestServeRefusesInvalidFlow(t *testing.T) {
	const flow = "../../flows/testdata/invalid/unknown-state-on.yaml"
	_, out, errOut := run(t, nil, "validate", flow)
	problems := out + errOut
	if !strings.Contains(problems, flow+":") {
		t.Fatalf("validate printed no FILE:LINE:COL problem:\n%s", problems)
	}
	code, _, errOut := run(t, nil, "serve", "--flow", flow, "--addr", "127.0.0.1:0")
	if code != 1 {
		t.Fatalf("serve on an invalid flow: exit %d, want 1\n%s", code, errOut)
	}
	for _, line := range strings.Split(strings.TrimSpace(problems), "\n") {
		if strings.HasPrefix(line, flow+":") && !strings.Contains(errOut, line) {
			t.Errorf("serve's output lacks validate's %q:\n%s", line, errOut)
		}
	}
}

// TestServeSaysRedisIsEmbedded checks that serve without REDIS_URL runs on
// the embedded Redis and says so in its log.
func TestServeSaysRedisIsEmbedded(t *testing.T) {
	var logs bytes.Buffer
	newApp(t, nil, &logs, "--flow", "../../examples/pizzeria/flow.yaml")
	if !strings.Contains(logs.String(), "REDIS_URL is not set: using an embedded in-process Redis") {
		t.Fatalf("no word of the embedded Redis in the log:\n%s", logs.String())
	}
}

// TestServeRefusedByRedis checks that serve stops at once, saying why, on
// a Redis that answers but refuses it (here a database index out of
// range), since every step would fail the same way.
func TestServeRefusedByRedis(t *testing.T) {
	u, err := url.Parse(storetest.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/99"
	code, _, errOut := run(t, map[string]string{"REDIS_URL": u.String()},
		"serve", "--flow", "../../examples/pizzeria/flow.yaml", "--addr", "127.0.0.1:0")
	if code != 1 || !strings.Contains(errOut, "Redis refuses souk (check REDIS_URL): ERR DB index is out of range") {
		t.Fatalf("serve on database 99: exit %d, want 1\n%s", code, errOut)
	}
}

// TestServeStartsBeforeRedis checks that serve starts when Redis does not
// answer yet (it may come up later), and says so.
func TestServeStartsBeforeRedis(t *testing.T) {
	var logs bytes.Buffer
	newApp(t, map[string]string{"REDIS_URL": "redis://127.0.0.1:1/0"}, &logs, "--flow", "../../examples/pizzeria/flow.yaml")
	if !strings.Contains(logs.String(), "Redis does not answer yet") {
		t.Fatalf("no word of the missing Redis in the log:\n%s", logs.String())
	}
}
