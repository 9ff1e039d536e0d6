package kaleyratest

import (
	"cmp"
	"encoding/json"
	"strings"
)

// Accepted returns the requests answered with a 2xx so far, in order.
func (s *Server) Accepted() []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.Status/100 == 2 {
			out = append(out, r)
		}
	}
	return out
}

// Texts returns the text bodies accepted for phone (digits, no "+"), in
// order; other kinds of message count as "".
func (s *Server) Texts(phone string) []string {
	var out []string
	for _, r := range s.Accepted() {
		if r.To() == phone {
			out = append(out, r.Text())
		}
	}
	return out
}

// Take returns the requests received so far and forgets them, so that the
// next Take, Requests or WaitFor count from here. Injected failures,
// latency and the Respond script stay.
func (s *Server) Take() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.reqs
	s.reqs = nil
	return out
}

// Field digs a string out of the request's JSON body by object keys, e.g.
// r.Field("messaging_object", "interactive", "type"); it returns "" when the
// body is not JSON or the value is missing or not a string.
func (r Request) Field(keys ...string) string {
	var v any
	if json.Unmarshal(r.Body, &v) != nil {
		return ""
	}
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = m[k]
	}
	s, _ := v.(string)
	return s
}

// To returns the recipient of a send, digits only: messaging_object.to of
// a session message, to of a template; for a shopper known only by their
// business-scoped user id, the recipient field that names them.
func (r Request) To() string {
	to := cmp.Or(r.Field("messaging_object", "to"), r.Field("to"),
		r.Field("messaging_object", "recipient"), r.Field("recipient"))
	return strings.TrimPrefix(to, "+")
}

// Ref returns extra_info.ref, the id souk gave the message.
func (r Request) Ref() string { return r.Field("extra_info", "ref") }

// Text returns the body of a text message, "" for any other kind.
func (r Request) Text() string { return r.Field("messaging_object", "text", "body") }
