package simulator

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
	"time"
)

// TestFlowStatus checks that a rejected reload reaches a page already
// open, as a "flow" event, and a page opened later, in the ready event and
// in /simulator/info; and that a reload after it clears it.
func TestFlowStatus(t *testing.T) {
	srv, _ := newTestSimulator(t, Config{FlowName: "pizzeria"}, nil)
	sim := srv.Config.Handler.(*Simulator)
	first := openEvents(t, srv.URL)
	if ev, data := readRawEvent(t, first); ev != "ready" || data != `{"flow":{"name":"pizzeria"}}` {
		t.Fatalf("first event %q %s, want ready with the flow's name only", ev, data)
	}

	at := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	rejected := FlowStatus{Name: "pizzeria", Rejected: &Rejection{At: at, File: "flow.yaml",
		Problems: []string{`flow.yaml:7:9: unknown key "txt"`}}}
	sim.SetFlowStatus(rejected)
	if got := readFlowEvent(t, first); !reflect.DeepEqual(got, rejected) {
		t.Errorf("open page got %+v, want %+v", got, rejected)
	}

	later := openEvents(t, srv.URL)
	ev, data := readRawEvent(t, later)
	var ready struct{ Flow FlowStatus }
	if err := json.Unmarshal([]byte(data), &ready); err != nil || ev != "ready" || !reflect.DeepEqual(ready.Flow, rejected) {
		t.Errorf("a page opened later got %q %s, want ready with the rejection", ev, data)
	}
	var info struct {
		Flow       string      `json:"flow"`
		FlowStatus *FlowStatus `json:"flow_status"`
	}
	getJSON(t, srv.URL+"/simulator/info", &info)
	if info.FlowStatus == nil || !reflect.DeepEqual(*info.FlowStatus, rejected) {
		t.Errorf("info flow_status = %+v, want the rejection", info.FlowStatus)
	}

	reloaded := FlowStatus{Name: "pizzeria-2", Reloaded: at.Add(time.Minute)}
	sim.SetFlowStatus(reloaded)
	for name, r := range map[string]*bufio.Reader{"first": first, "later": later} {
		if got := readFlowEvent(t, r); !reflect.DeepEqual(got, reloaded) {
			t.Errorf("%s page got %+v after the reload, want %+v", name, got, reloaded)
		}
	}
	info.FlowStatus = nil
	getJSON(t, srv.URL+"/simulator/info", &info)
	if info.Flow != "pizzeria-2" || info.FlowStatus.Rejected != nil {
		t.Errorf("info after the reload: flow %q, rejected %+v; want the new name and no rejection", info.Flow, info.FlowStatus.Rejected)
	}
}

// openEvents opens the event stream of one shopper until the test ends.
func openEvents(t *testing.T, base string) *bufio.Reader {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/simulator/events?phone=919876543210", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return bufio.NewReader(res.Body)
}

// readFlowEvent reads the next event, which must be a "flow" event.
func readFlowEvent(t *testing.T, r *bufio.Reader) FlowStatus {
	t.Helper()
	ev, data := readRawEvent(t, r)
	var st FlowStatus
	if err := json.Unmarshal([]byte(data), &st); err != nil || ev != "flow" {
		t.Fatalf("event %q %s, want a flow status", ev, data)
	}
	return st
}
