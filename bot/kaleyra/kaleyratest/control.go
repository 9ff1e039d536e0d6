package kaleyratest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ControlPrefix starts the routes that steer a running mock over HTTP, for
// tests that are not written in Go:
//
//	GET    /_mock/requests                 every recorded request, as JSON
//	DELETE /_mock/requests                 Reset
//	POST   /_mock/fail?code=WA500&times=2  FailNext (times defaults to 1)
//	POST   /_mock/rate?code=WA500&p=0.1    FailRate
//	POST   /_mock/latency?d=250ms          SetLatency
const ControlPrefix = "/_mock/"

// control serves the control routes; it reports false for any other path.
func control(s *Server, w http.ResponseWriter, r *http.Request) bool {
	if !strings.HasPrefix(r.URL.Path, ControlPrefix) {
		return false
	}
	q := r.URL.Query()
	switch route := r.Method + " " + strings.TrimPrefix(r.URL.Path, ControlPrefix); route {
	case "GET requests":
		reply(w, http.StatusOK, s.Requests())
	case "DELETE requests":
		s.Reset()
		reply(w, http.StatusOK, map[string]string{"status": "reset"})
	case "POST fail":
		code, times := q.Get("code"), atoiOr(q.Get("times"), 1)
		if !KnownCode(code) || times < 1 {
			reply(w, http.StatusBadRequest, map[string]string{"error": "code must be one of WA400 RBC001 WA401 WA-401 E110 WA500 drop; times >= 1"})
			return true
		}
		for range times {
			s.FailNext(Failure{Code: code})
		}
		reply(w, http.StatusOK, map[string]any{"code": code, "times": times})
	case "POST rate":
		p, err := strconv.ParseFloat(q.Get("p"), 64)
		if !KnownCode(q.Get("code")) || err != nil || p < 0 || p > 1 {
			reply(w, http.StatusBadRequest, map[string]string{"error": "want code=<known code>&p=<0..1>"})
			return true
		}
		s.FailRate(q.Get("code"), p)
		reply(w, http.StatusOK, map[string]any{"code": q.Get("code"), "p": p})
	case "POST latency":
		d, err := time.ParseDuration(q.Get("d"))
		if err != nil || d < 0 {
			reply(w, http.StatusBadRequest, map[string]string{"error": "want d=<duration>, e.g. 250ms"})
			return true
		}
		s.SetLatency(d)
		reply(w, http.StatusOK, map[string]string{"latency": d.String()})
	default:
		reply(w, http.StatusNotFound, map[string]string{"error": "no control route " + route})
	}
	return true
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func atoiOr(s string, def int) int {
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}
