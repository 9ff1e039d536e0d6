package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// step is one scripted shopper message and the kind of reply it must get.
type step struct {
	content string // the message object's type-specific part
	want    string // reply kind for souk; the reference always answers "text"
}

// script is hello -> list, tap -> product_list, tap -> product.
var script = []step{
	{`"type":"text","text":{"body":"hello"}`, "list"},
	{`"type":"interactive","interactive":{"type":"list_reply","list_reply":{"id":"pizzas","title":"Pizzas"}}`, "product_list"},
	{`"type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"pz-margherita","title":"Margherita"}}`, "product"},
}

// webhookBody is a Meta envelope carrying one message from phone.
func webhookBody(phone, id, content string) []byte {
	return []byte(`{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{` +
		`"messaging_product":"whatsapp","metadata":{"display_phone_number":"919800011122","phone_number_id":"555"},` +
		`"contacts":[{"profile":{"name":"Asha"},"wa_id":"` + phone + `"}],` +
		`"messages":[{"from":"` + phone + `","id":"` + id + `","timestamp":"` + strconv.FormatInt(time.Now().Unix(), 10) + `",` +
		content + `}]}}]}]}`)
}

// tally is what one shopper saw.
type tally struct {
	latencies []time.Duration
	replies   int
	errors    int // non-200 webhooks, transport errors, wrong reply kinds
	lost      int // replies that never came within replyTimeout
	phones    []string
	firstErr  string
}

func (t *tally) fail(format string, args ...any) {
	t.errors++
	if t.firstErr == "" {
		t.firstErr = fmt.Sprintf(format, args...)
	}
}

// replyTimeout is how long a shopper waits for one reply before counting
// it lost.
const replyTimeout = 5 * time.Second

// converse plays the script once as phone and records what it saw. A
// reply that arrives before the step's webhook was posted answers an
// earlier step: it is a duplicate, which countDuplicates counts, not this
// step's reply. It gives up quietly when ctx ends.
func converse(ctx context.Context, hc *http.Client, hook string, fake *fakeKaleyra, phone string, reference bool, t *tally) {
	t.phones = append(t.phones, phone)
	inbox := fake.expect(phone)
	for i, s := range script {
		body := webhookBody(phone, wamid(), s.content)
		start := time.Now()
		if !postWebhook(ctx, hc, hook, body, t) {
			return
		}
		r, ok := awaitReply(ctx, inbox, start)
		if !ok {
			if ctx.Err() == nil {
				t.lost++
			}
			return
		}
		t.replies++
		t.latencies = append(t.latencies, r.at.Sub(start))
		want := s.want
		if reference {
			want = "text"
		}
		if r.kind != want {
			t.fail("step %d: reply kind %q, want %q", i, r.kind, want)
		}
	}
}

// awaitReply returns the first reply that arrived after start, or false
// after replyTimeout or when ctx ends.
func awaitReply(ctx context.Context, inbox <-chan reply, start time.Time) (reply, bool) {
	timeout := time.NewTimer(replyTimeout)
	defer timeout.Stop()
	for {
		select {
		case r := <-inbox:
			if r.at.Before(start) {
				continue // a duplicate of an earlier step's reply
			}
			return r, true
		case <-timeout.C:
			return reply{}, false
		case <-ctx.Done():
			return reply{}, false
		}
	}
}

func postWebhook(ctx context.Context, hc *http.Client, hook string, body []byte, t *tally) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook, bytes.NewReader(body))
	if err != nil {
		t.fail("webhook: %v", err)
		return false
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if ctx.Err() != nil {
		if err == nil {
			resp.Body.Close()
		}
		return false // interrupted: not the bot's error
	}
	if err != nil {
		t.fail("webhook: %v", err)
		return false
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.fail("webhook: HTTP %d", resp.StatusCode)
		return false
	}
	return true
}

// wamid is a random message id as long as Meta's (58 characters).
func wamid() string {
	var b [24]byte
	_, _ = rand.Read(b[:])
	return "wamid.HBgM" + hex.EncodeToString(b[:])
}
