package kaleyratest

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"regexp"
	"sync"
	"time"
)

// sendPath matches the one route Kaleyra's send API has:
// /v2/{SID}/whatsapp/{number or WABA id}/messages.
var sendPath = regexp.MustCompile(`^/v2/([^/]+)/whatsapp/([^/]+)/messages$`)

// Request is one request the Server received, with its answer.
type Request struct {
	Method string      `json:"method"`
	Path   string      `json:"path"`
	Header http.Header `json:"-"`
	Body   []byte      `json:"-"`
	// Status and MessageID are the answer; MessageID is empty for failures.
	Status    int       `json:"status"`
	MessageID string    `json:"message_id,omitempty"`
	Code      string    `json:"code,omitempty"`
	Time      time.Time `json:"time"`
}

// MarshalJSON shows the body as JSON when it is JSON.
func (r Request) MarshalJSON() ([]byte, error) {
	type plain Request
	body := json.RawMessage(r.Body)
	if !json.Valid(r.Body) {
		b, _ := json.Marshal(string(r.Body))
		body = b
	}
	return json.Marshal(struct {
		plain
		Body json.RawMessage `json:"body"`
	}{plain(r), body})
}

// Server is the fake API. Its zero value is not usable; call New. It is safe
// for concurrent use.
type Server struct {
	// APIKey, when set, must be the api-key header of every send, or the
	// answer is RBC001.
	APIKey string
	// OnRequest, when set, sees every request once it is answered (or
	// dropped); it must not block.
	OnRequest func(Request)

	mu       sync.Mutex
	reqs     []Request
	queue    []Failure
	rate     float64
	rateCode string
	latency  time.Duration
	respond  Respond
	arrived  int // requests received since New, for Respond
	n        uint64
	changed  chan struct{}
}

// New returns a Server that accepts every well-formed send.
func New() *Server { return &Server{changed: make(chan struct{})} }

// FailNext makes the next sends fail, one Failure each, in order.
func (s *Server) FailNext(fs ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, fs...)
}

// FailRate makes each send fail with code with probability p (0..1), after
// any queued FailNext failures.
func (s *Server) FailRate(code string, p float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rate, s.rateCode = p, code
}

// SetLatency delays every answer by d (cut short when the client gives up).
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// Requests returns a copy of every request received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request{}, s.reqs...) // [] in JSON when there are none
}

// Len is the number of requests received so far.
func (s *Server) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.reqs)
}

// Reset forgets the recorded requests and any injected failures and latency.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs, s.queue, s.rate, s.latency = nil, nil, 0, 0
}

// WaitFor waits until at least n requests were received or timeout passes,
// and returns the requests received by then.
func (s *Server) WaitFor(n int, timeout time.Duration) []Request {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		reqs, changed := append([]Request(nil), s.reqs...), s.changed
		s.mu.Unlock()
		if len(reqs) >= n {
			return reqs
		}
		select {
		case <-changed:
		case <-deadline.C:
			return reqs
		}
	}
}

// ServeHTTP answers one request like Kaleyra's send API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if control(s, w, r) {
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	rec := Request{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body, Time: time.Now()}
	a, delay := s.decide(r, rec)
	if !wait(r, delay) || a.drop {
		rec.Code = CodeDrop
		s.record(rec)
		panic(http.ErrAbortHandler)
	}
	rec.Status = a.Status
	rec.Code, rec.MessageID = a.recorded()
	s.record(rec)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(a.Status)
	_, _ = io.WriteString(w, a.Body)
}

// decide picks the answer of a request and the delay before giving it.
func (s *Server) decide(r *http.Request, rec Request) (Answer, time.Duration) {
	s.mu.Lock()
	s.arrived++
	n, respond, delay := s.arrived, s.respond, s.latency
	var f Failure
	switch {
	case r.Method != http.MethodPost || !sendPath.MatchString(r.URL.Path):
		f = Failure{Code: "WA400", Status: http.StatusNotFound, Body: `{"code":"WA404","message":"Not found","data":{},"error":{"path":"no such route"}}`}
	case s.APIKey != "" && r.Header.Get("api-key") != s.APIKey:
		f = Failure{Code: "RBC001"}
	case !wellFormed(rec.Body):
		f = Failure{Code: "WA400"}
	case respond != nil:
	case len(s.queue) > 0:
		f = s.queue[0]
		s.queue = s.queue[1:]
	case s.rate > 0 && rand.Float64() < s.rate:
		f = Failure{Code: s.rateCode}
	}
	s.mu.Unlock()
	switch {
	case f.Code != "":
		return f.Answer(), delay
	case respond != nil:
		return respond(n, rec), delay
	}
	return Accept(s.nextID()), delay
}

// wellFormed reports whether body is a session request (messaging_object)
// or a template request (type template), as Kaleyra requires.
func wellFormed(body []byte) bool {
	var req struct {
		MessagingObject json.RawMessage `json:"messaging_object"`
		Type            string          `json:"type"`
		To              string          `json:"to"`
	}
	if json.Unmarshal(body, &req) != nil {
		return false
	}
	return len(req.MessagingObject) > 0 || (req.Type == "template" && req.To != "")
}

// wait sleeps d, returning false when the client gave up first.
func wait(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

func (s *Server) record(r Request) {
	s.mu.Lock()
	s.reqs = append(s.reqs, r)
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
	if s.OnRequest != nil {
		s.OnRequest(r)
	}
}

// nextID returns a Kaleyra-like message id: 20 upper-case characters.
func (s *Server) nextID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	return fmt.Sprintf("KT%018d", s.n)
}
