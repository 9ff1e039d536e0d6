package cli_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/bottest"
	"github.com/souk-commerce/souk/bot/cli"
	"github.com/souk-commerce/souk/bot/simulator"
)

const (
	reloadFlowA  = "flow: a\nstart: welcome\nstates:\n  welcome:\n    send: [{text: from flow a}]\n    on: {more: welcome}\n"
	reloadFlowB  = "flow: b\nstart: hello\nstates:\n  hello:\n    send: [{text: from flow b}]\n"
	reloadBroken = "flow: broken\nstart: nowhere\nstates:\n  hello:\n    send: [{txt: typo}]\n"
)

// logSink collects a server's JSON log lines; safe for concurrent use.
type logSink struct{ bottest.Buffer }

// records returns the log records whose msg is msg.
func (s *logSink) records(msg string) []map[string]any {
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(s.String()))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var rec map[string]any
		if json.Unmarshal(sc.Bytes(), &rec) == nil && rec["msg"] == msg {
			out = append(out, rec)
		}
	}
	return out
}

// waitFor polls until n records with msg are logged, or fails the test.
func (s *logSink) waitFor(t *testing.T, msg string, n int) []map[string]any {
	t.Helper()
	var recs []map[string]any
	bottest.Eventually(t, fmt.Sprintf("%d %q log records", n, msg), 10*time.Second, func() bool {
		recs = s.records(msg)
		return len(recs) >= n
	})
	return recs
}

// writeAtomically replaces path's content the way editors and deploy tools do.
func writeAtomically(t *testing.T, path, content string) {
	t.Helper()
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

func metaText(from, id, body string) []byte {
	return fmt.Appendf(nil, `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550100100","phone_number_id":"1"},
"contacts":[{"profile":{"name":"Load"},"wa_id":%q}],
"messages":[{"from":%q,"id":%q,"timestamp":"%d","type":"text","text":{"body":%q}}]}}]}]}`,
		from, from, id, time.Now().Unix(), body)
}

// TestReloadUnderLoad swaps flows on a real loopback server, by --watch and
// by SIGHUP, while shoppers post webhooks concurrently: every response must
// be a 200, the new flow must take over, and a broken flow must be rejected.
func TestReloadUnderLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "flow.yaml")
	writeAtomically(t, path, reloadFlowA)
	logs := &logSink{}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan int, 1)
	go func() {
		env := &cli.Env{Stdin: strings.NewReader(""), Stdout: logs, Stderr: logs, Getenv: noEnv, Handlers: builtins()}
		served <- cli.Run(ctx, env, []string{"serve", "--flow", path, "--addr", "127.0.0.1:0", "--watch", "--watch-interval", "10ms"})
	}()
	defer func() {
		cancel()
		if code := <-served; code != 0 {
			t.Errorf("serve exited %d", code)
		}
	}()
	base := "http://" + logs.waitFor(t, "souk serving", 1)[0]["addr"].(string)
	url := base + "/webhook"

	var posted, failed atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				from := fmt.Sprintf("9198765%05d", w*1000+i%50)
				resp, err := http.Post(url, "application/json", bytes.NewReader(metaText(from, fmt.Sprintf("wamid.%d.%d", w, i), "more")))
				posted.Add(1)
				if err != nil || resp.StatusCode != http.StatusOK {
					failed.Add(1)
					t.Errorf("POST: %v %v", err, resp)
				}
				if resp != nil {
					resp.Body.Close()
				}
			}
		}()
	}

	logs.waitFor(t, "event", 50)
	writeAtomically(t, path, reloadFlowB)
	logs.waitFor(t, "flow reloaded", 1)
	waitForEventTo(t, logs, "hello")
	writeAtomically(t, path, reloadBroken)
	rejected := logs.waitFor(t, "flow reload rejected; the old flow keeps serving", 1)
	if rejected[0]["flow"] != "b" {
		t.Errorf("after the rejection the serving flow is %v, want b", rejected[0]["flow"])
	}
	st := simulatorFlowStatus(t, base)
	if st.Name != "b" || st.Rejected == nil || st.Rejected.File != path ||
		!slices.Contains(st.Rejected.Problems, path+`:5:13: state hello.send: unknown key "txt" (did you mean "text"?)`) {
		t.Errorf("the simulator shows %+v, want flow b with the rejected file's problems", st)
	}
	writeAtomically(t, path, reloadFlowA)
	logs.waitFor(t, "flow reloaded", 2)
	if st := simulatorFlowStatus(t, base); st.Name != "a" || st.Rejected != nil || st.Reloaded.IsZero() {
		t.Errorf("after the fix the simulator shows %+v, want flow a reloaded, nothing rejected", st)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	recs := logs.waitFor(t, "flow reloaded", 3)
	logs.waitFor(t, "event", len(logs.records("event"))+50) // keep posting after the last swap
	close(stop)
	wg.Wait()

	if recs[2]["reason"] != "SIGHUP" || recs[1]["flow"] != "a" || recs[0]["flow"] != "b" {
		t.Errorf("reloads: %v", recs)
	}
	if !hasDiagnostic(logs.records("flow problem"), `unknown key "txt"`) {
		t.Error("the broken flow's diagnostics are not in the log")
	}
	if failed.Load() != 0 || posted.Load() < 100 {
		t.Errorf("%d of %d webhooks failed (want 0 of at least 100)", failed.Load(), posted.Load())
	}
	t.Logf("%d webhooks posted during 3 reloads and 1 rejection, %d failed", posted.Load(), failed.Load())
}

// waitForEventTo polls until an event moved a conversation into state.
func waitForEventTo(t *testing.T, logs *logSink, state string) {
	t.Helper()
	bottest.Eventually(t, "an event reaching state "+state, 10*time.Second, func() bool {
		for _, r := range logs.records("event") {
			if r["to"] == state {
				return true
			}
		}
		return false
	})
}

// simulatorFlowStatus is what the web simulator shows of the flow.
func simulatorFlowStatus(t *testing.T, base string) simulator.FlowStatus {
	t.Helper()
	res, err := http.Get(base + "/simulator/info")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var info struct {
		FlowStatus simulator.FlowStatus `json:"flow_status"`
	}
	if err := json.NewDecoder(res.Body).Decode(&info); err != nil {
		t.Fatal(err)
	}
	return info.FlowStatus
}

func hasDiagnostic(recs []map[string]any, part string) bool {
	for _, r := range recs {
		if d, _ := r["diagnostic"].(string); strings.Contains(d, part) {
			return true
		}
	}
	return false
}
