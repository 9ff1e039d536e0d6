package cli

import (
	"bytes"
	"strings"
	"testing"
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
