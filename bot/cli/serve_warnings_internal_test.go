package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/souk-commerce/souk/bot/bottest"
)

// TestServeLogsFlowWarnings checks that the warnings of a flow serve
// starts with are JSON log lines like the rest of its log, not bare text.
func TestServeLogsFlowWarnings(t *testing.T) {
	flow := filepath.Join(t.TempDir(), "flow.yaml")
	src := "flow: t\nstart: a\nstates:\n  a: {send: [text: hi]}\n  orphan: {send: [text: x]}\n"
	if err := os.WriteFile(flow, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	logs := &bottest.Buffer{}
	newAppWith(t, nil, logs, nil, "--flow", flow)
	found := false
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not a JSON line: %q", line)
		}
		d, _ := m["diagnostic"].(string)
		if m["msg"] == "flow problem" && m["level"] == "WARN" && strings.Contains(d, "5:3: warning: state orphan cannot be reached from start") {
			found = true
		}
	}
	if !found {
		t.Errorf("no flow problem line for the unreachable state:\n%s", logs)
	}
}

// TestInlineTestFixturesAtValidateNotServe: a flow whose own test posts a
// fixture that is not there fails `souk validate`, which says where, but
// `souk serve` starts it: a server need not ship its tests' fixtures.
func TestInlineTestFixturesAtValidateNotServe(t *testing.T) {
	flow := filepath.Join(t.TempDir(), "flow.yaml")
	src := "flow: t\nstart: a\nstates:\n  a: {send: [text: hi]}\ntests:\n  - name: t\n    steps:\n      - webhook: fixtures/gone.json\n"
	if err := os.WriteFile(flow, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ := run(t, nil, "validate", flow)
	if code != 1 || !strings.Contains(out, flow+`:8:9: test "t": cannot read webhook fixture fixtures/gone.json`) {
		t.Errorf("validate: exit %d, output:\n%s", code, out)
	}
	newAppWith(t, nil, &bottest.Buffer{}, nil, "--flow", flow) // fails the test if serve refuses
}
