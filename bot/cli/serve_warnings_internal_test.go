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
		if m["msg"] == "flow problem" && m["level"] == "WARN" && strings.HasSuffix(d, "5:3: warning: state orphan cannot be reached from start") {
			found = true
		}
	}
	if !found {
		t.Errorf("no flow problem line for the unreachable state:\n%s", logs)
	}
}
