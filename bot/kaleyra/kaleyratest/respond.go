package kaleyratest

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// Answer is what the Server answers one send with: an HTTP status and a body
// sent as they are. Accept, Fail and Failure.Answer make the usual ones; a
// literal Answer{Status: 503, Body: "..."} answers anything else.
type Answer struct {
	Status int
	Body   string

	code, id string // recorded as Request.Code and Request.MessageID
	drop     bool   // cut the connection instead of answering
}

// Accept is the 202 WA202 answer carrying message id id.
func Accept(id string) Answer {
	return Answer{Status: http.StatusAccepted, id: id,
		Body: fmt.Sprintf(`{"code":"WA202","message":"Request Accepted","data":{"message_id":%q},"error":{}}`, id)}
}

// Fail is Kaleyra's documented answer for code (one of Codes), or no
// answer at all for CodeDrop; it is Failure{Code: code}.Answer().
func Fail(code string) Answer { return Failure{Code: code}.Answer() }

// Respond is a script for the Server: it picks the answer of every send.
// n is the 1-based number of the request among all the Server received
// since New (Reset and Take do not restart it); r is the request as
// received, without its answer yet. Respond runs outside the Server's lock
// and may block (to hold a send in flight) or answer from r.
type Respond func(n int, r Request) Answer

// SetRespond makes f answer every send that passes the route, api-key and
// payload checks, in place of FailNext, FailRate and the normal accept;
// SetLatency still applies. nil goes back to the normal answers. Reset
// keeps f.
func (s *Server) SetRespond(f Respond) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.respond = f
}

// recorded returns the code and message id to record for a: those Accept
// and Fail set, or else read from a literal Answer's body (the message id
// of a 2xx, the code of any other status).
func (a Answer) recorded() (code, id string) {
	if a.code != "" || a.id != "" {
		return a.code, a.id
	}
	var env struct {
		Code string          `json:"code"`
		Data json.RawMessage `json:"data"`
	}
	if json.Unmarshal([]byte(a.Body), &env) != nil {
		return "", ""
	}
	if a.Status/100 != 2 {
		return env.Code, ""
	}
	var data struct {
		MessageID string `json:"message_id"`
	}
	_ = json.Unmarshal(env.Data, &data)
	return "", data.MessageID
}
