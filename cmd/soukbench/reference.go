package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"strings"
	"time"
)

// The reference bot is the least a WhatsApp bot can do: for each webhook it
// reads the sender and POSTs one fixed text reply to the messages endpoint
// before answering 200. It keeps no state, checks no duplicates and has no
// outbox, so its throughput is the ceiling souk is compared with.

const referencePath = "/v2/HXBENCH/whatsapp/919800011122/messages"

// inbound is what the reference bot reads of a Meta webhook.
type inbound struct {
	Entry []struct {
		Changes []struct {
			Value struct {
				Messages []struct {
					From string `json:"from"`
				} `json:"messages"`
			} `json:"value"`
		} `json:"changes"`
	} `json:"entry"`
}

func serveReference(ctx context.Context, addr, kaleyra string) int {
	hc := &http.Client{Timeout: 15 * time.Second, Transport: &http.Transport{
		MaxIdleConns: 64, MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64, IdleConnTimeout: 90 * time.Second}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, `{"status":"ok"}`) })
	mux.HandleFunc("POST /webhook", func(w http.ResponseWriter, r *http.Request) {
		var in inbound
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			http.Error(w, `{"error":"bad json"}`, http.StatusBadRequest)
			return
		}
		for _, e := range in.Entry {
			for _, c := range e.Changes {
				for _, m := range c.Value.Messages {
					sendFixed(r.Context(), hc, kaleyra+referencePath, m.From)
				}
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"ok"}`)
	})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return 1
	}
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { <-ctx.Done(); _ = hs.Close() }()
	_ = hs.Serve(ln)
	return 0
}

func sendFixed(ctx context.Context, hc *http.Client, url, to string) {
	body := `{"messaging_object":{"messaging_product":"whatsapp","recipient_type":"individual","to":"` + to +
		`","type":"text","text":{"body":"Thanks for your message!"}},"extra_info":{"wa_source":"api"}}`
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewBufferString(body))
	if err != nil {
		return
	}
	req.Header.Set("api-key", "bench")
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// servePprof serves net/http/pprof on addr (SOUKBENCH_PPROF), so that the
// reference can be profiled like souk; like souk it refuses an address
// that is not loopback.
func servePprof(addr string) {
	if host, _, err := net.SplitHostPort(addr); err != nil || !isLoopback(host) {
		fmt.Fprintf(os.Stderr, "reference: pprof: %q is not a loopback address\n", addr)
		return
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil {
		fmt.Fprintf(os.Stderr, "reference: pprof: %v\n", err)
	}
}

func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return strings.EqualFold(host, "localhost") || ip != nil && ip.IsLoopback()
}
