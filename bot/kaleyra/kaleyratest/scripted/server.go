// Package scripted is a fake Kaleyra WhatsApp API v2 for tests: an
// httptest server that records the requests it accepts and answers as a
// test tells it to.
//
//	k := scripted.New(t)
//	cfg := kaleyra.Config{APIKey: "k", SID: "sid", Number: "919800011122", BaseURL: k.URL}
//	...
//	k.Texts("919876543210") // the text bodies sent to that shopper, in order
package scripted

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Request is one request the fake received.
type Request struct {
	Path string
	// To is the recipient, digits only.
	To string
	// Ref is extra_info.ref.
	Ref string
	// Text is the text body of a text message.
	Text string
	Body []byte
}

// Answer is what the fake answers one request with.
type Answer struct {
	Status int
	Body   string
}

// Accept is the normal 202 answer with a message id.
func Accept(id string) Answer {
	return Answer{Status: http.StatusAccepted, Body: fmt.Sprintf(`{"code":"WA202","message":"accepted","data":{"message_id":%q}}`, id)}
}

// Fail is an error answer with Kaleyra's code.
func Fail(status int, code string) Answer {
	return Answer{Status: status, Body: fmt.Sprintf(`{"code":%q,"message":"test failure","error":{}}`, code)}
}

// Server is the fake. Respond, when set, picks each answer from the
// request's 1-based number; by default every request is accepted.
type Server struct {
	*httptest.Server
	Respond func(n int, r Request) Answer

	mu       sync.Mutex
	n        int
	accepted []Request
}

// New starts a fake closed when t ends.
func New(t testing.TB) *Server {
	s := &Server{}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	req := parse(r.URL.Path, body)
	s.mu.Lock()
	s.n++
	n, respond := s.n, s.Respond
	s.mu.Unlock()
	a := Accept(fmt.Sprintf("kal-%d", n))
	if respond != nil {
		a = respond(n, req)
	}
	if a.Status/100 == 2 {
		s.mu.Lock()
		s.accepted = append(s.accepted, req)
		s.mu.Unlock()
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(a.Status)
	_, _ = io.WriteString(w, a.Body)
}

func parse(path string, body []byte) Request {
	var b struct {
		MessagingObject struct {
			To   string `json:"to"`
			Text struct {
				Body string `json:"body"`
			} `json:"text"`
		} `json:"messaging_object"`
		To        string `json:"to"`
		ExtraInfo struct {
			Ref string `json:"ref"`
		} `json:"extra_info"`
	}
	_ = json.Unmarshal(body, &b)
	to := b.MessagingObject.To
	if to == "" {
		to = b.To
	}
	return Request{Path: path, To: strings.TrimPrefix(to, "+"), Ref: b.ExtraInfo.Ref, Text: b.MessagingObject.Text.Body, Body: body}
}

// Requests counts every request received, accepted or not.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

// Accepted returns the requests answered with a 2xx, in arrival order.
func (s *Server) Accepted() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.accepted...)
}

// Texts returns the text bodies accepted for phone, in arrival order.
func (s *Server) Texts(phone string) []string {
	var out []string
	for _, r := range s.Accepted() {
		if r.To == phone {
			out = append(out, r.Text)
		}
	}
	return out
}
