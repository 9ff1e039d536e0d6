package simulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// heartbeat keeps idle event streams (and proxies) open.
const heartbeat = 15 * time.Second

// events streams the outbound requests to one shopper as server-sent
// events. The first event, "ready", says the subscription is live and
// carries the flow's status ({"flow": FlowStatus}); each "out" event
// carries a Record; a "flow" event carries the FlowStatus each time it
// changes. A reconnecting EventSource sends Last-Event-ID and gets what it
// missed from the feed's ring.
func (s *Simulator) events(w http.ResponseWriter, r *http.Request) {
	phone, ok := phoneParam(w, r)
	if !ok {
		return
	}
	after, _ := strconv.ParseUint(r.Header.Get("Last-Event-ID"), 10, 64)
	if v := r.URL.Query().Get("after"); v != "" && after == 0 {
		after, _ = strconv.ParseUint(v, 10, 64)
	}
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // a stream outlives the server's write timeout
	past, next, cancel := s.cfg.Feed.Subscribe(phone, after)
	defer cancel()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	status, changed := s.flow.get()
	ready, _ := json.Marshal(map[string]FlowStatus{"flow": status})
	fmt.Fprintf(w, "retry: 1000\nevent: ready\ndata: %s\n\n", ready)
	for _, rec := range past {
		writeRecord(w, rec)
	}
	if rc.Flush() != nil {
		return
	}
	s.stream(w, r, rc, next, changed)
}

func (s *Simulator) stream(w http.ResponseWriter, r *http.Request, rc *http.ResponseController, next <-chan Record, changed <-chan struct{}) {
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case rec, ok := <-next:
			if !ok {
				return
			}
			writeRecord(w, rec)
		case <-changed:
			var status FlowStatus
			status, changed = s.flow.get()
			b, _ := json.Marshal(status)
			fmt.Fprintf(w, "event: flow\ndata: %s\n\n", b)
		case <-tick.C:
			fmt.Fprint(w, ": ping\n\n")
		}
		if rc.Flush() != nil {
			return
		}
	}
}

func writeRecord(w http.ResponseWriter, rec Record) {
	b, _ := json.Marshal(rec)
	fmt.Fprintf(w, "id: %d\nevent: out\ndata: %s\n\n", rec.Seq, b)
}
