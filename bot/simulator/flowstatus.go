package simulator

import (
	"sync"
	"time"
)

// FlowStatus is what the page shows of the flow being served: its name
// and whether the last change to its file was loaded. A merchant editing
// the flow with the page open sees a change that did not load, and why,
// without reading the server's log.
type FlowStatus struct {
	Name string `json:"name"`
	// Reloaded is when a changed flow was last swapped in; zero before the
	// first reload.
	Reloaded time.Time `json:"reloaded,omitzero"`
	// Rejected is set while the file holds a change that did not load; the
	// flow from before keeps answering.
	Rejected *Rejection `json:"rejected,omitempty"`
}

// Rejection is a change to the flow that was not loaded.
type Rejection struct {
	At   time.Time `json:"at"`
	File string    `json:"file"`
	// Problems are the errors that stopped it, each as `souk validate`
	// prints it (file:line:col: message).
	Problems []string `json:"problems"`
}

// flowWatch holds the status and wakes every event stream when it changes.
type flowWatch struct {
	mu      sync.Mutex
	status  FlowStatus
	changed chan struct{} // closed, and replaced, at each change
}

func newFlowWatch(name string) *flowWatch {
	return &flowWatch{status: FlowStatus{Name: name}, changed: make(chan struct{})}
}

func (w *flowWatch) set(st FlowStatus) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.status = st
	close(w.changed)
	w.changed = make(chan struct{})
}

// get returns the status and a channel closed at its next change.
func (w *flowWatch) get() (FlowStatus, <-chan struct{}) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.status, w.changed
}

// SetFlowStatus shows st on every page: at once on the pages open now (a
// "flow" server-sent event) and to the pages opened later.
func (s *Simulator) SetFlowStatus(st FlowStatus) { s.flow.set(st) }

// FlowStatus is what the page shows of the flow now.
func (s *Simulator) FlowStatus() FlowStatus {
	st, _ := s.flow.get()
	return st
}
