package main

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// reply is one outbound request as the fake Kaleyra saw it arrive.
type reply struct {
	at   time.Time
	kind string // text, list, product_list, product, ...
}

// fakeKaleyra is a loopback Kaleyra API: it timestamps every message
// request on arrival, hands it to the shopper it is addressed to, and
// answers 202 like Kaleyra.
type fakeKaleyra struct {
	srv   *http.Server
	url   string
	mu    sync.Mutex
	inbox map[string]chan reply // shopper phone -> replies
	got   map[string]int        // shopper phone -> replies received
	stray atomic.Int64          // requests for no known shopper, or unreadable
}

func startFake() (*fakeKaleyra, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	f := &fakeKaleyra{url: "http://" + ln.Addr().String(), inbox: map[string]chan reply{}, got: map[string]int{}}
	f.srv = &http.Server{Handler: f, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = f.srv.Serve(ln) }()
	return f, nil
}

func (f *fakeKaleyra) close() { _ = f.srv.Close() }

// expect registers a shopper before its first webhook is posted.
func (f *fakeKaleyra) expect(phone string) <-chan reply {
	ch := make(chan reply, 16)
	f.mu.Lock()
	f.inbox[phone] = ch
	f.mu.Unlock()
	return ch
}

// received returns how many replies phone got in all.
func (f *fakeKaleyra) received(phone string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.got[phone]
}

// outboundBody is what the fake reads of a session message request.
type outboundBody struct {
	Object struct {
		To          string `json:"to"`
		Type        string `json:"type"`
		Interactive struct {
			Type string `json:"type"`
		} `json:"interactive"`
	} `json:"messaging_object"`
}

func (f *fakeKaleyra) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	at := time.Now()
	body, err := io.ReadAll(r.Body)
	var out outboundBody
	if err != nil || r.Method != http.MethodPost || json.Unmarshal(body, &out) != nil {
		f.stray.Add(1)
		http.Error(w, `{"code":"WA400","message":"bad request"}`, http.StatusBadRequest)
		return
	}
	kind := out.Object.Type
	if kind == "interactive" {
		kind = out.Object.Interactive.Type
	}
	f.deliver(strings.TrimPrefix(out.Object.To, "+"), reply{at: at, kind: kind})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	// A message id of Meta's length, new each time, as Kaleyra answers, so
	// that the footprint counts a real index entry per reply.
	_, _ = io.WriteString(w, `{"code":"WA202","message":"Request Accepted","data":{"message_id":"`+wamid()+`"},"error":{}}`)
}

func (f *fakeKaleyra) deliver(phone string, r reply) {
	f.mu.Lock()
	ch, ok := f.inbox[phone]
	f.got[phone]++
	f.mu.Unlock()
	if !ok {
		f.stray.Add(1)
		return
	}
	select {
	case ch <- r:
	default: // a flood of duplicates; counted through got
	}
}
