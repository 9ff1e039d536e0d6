package webhook

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/bottest"
	"github.com/souk-commerce/souk/flows"
	"github.com/souk-commerce/souk/handlers"
	"github.com/souk-commerce/souk/store/storetest"
)

// TestPlatformHangsUp checks that a webhook whose sender hangs up while a
// handler runs is still applied in full: the handler is not cut short and
// taken for a failed one (which would answer error_text and mark the
// message seen, so that the platform's retry was dropped as a duplicate and
// the message never handled).
func TestPlatformHangsUp(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	reg := handlers.NewRegistry()
	reg.Register("reserve", handlers.Func(func(ctx context.Context, c *handlers.Conversation) error {
		close(entered)
		select {
		case <-release:
			c.Set("reserved", true)
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}))
	f, diags := flows.Parse("hangup.yaml", []byte(`flow: hangup
start: welcome
error_text: "Sorry, try again."
states:
  welcome:
    run: reserve
    send: [{text: "Reserved."}]
`), flows.Options{HasHandler: reg.Has})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	st := storetest.Miniredis(t)
	sent := &bottest.Dispatcher{}
	log, _ := newLogger()
	eng, err := bot.New(bot.Config{Flow: f, Store: st, Dispatcher: sent, Handlers: reg, Logger: log, Clock: fixtureClock})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Engine: eng, Store: st, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()

	body := metaMessage("919812345678", "wamid.hangup", textMsg("hi"))
	ctx, hangUp := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, hs.URL+"/webhook", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	gone := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		gone <- err
	}()
	<-entered
	hangUp()
	if err := <-gone; err == nil {
		t.Fatal("the request finished although the handler had not returned")
	}
	close(release)

	deadline := time.Now().Add(5 * time.Second)
	for sent.Len() == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	out := sent.Take()
	if len(out) != 1 || !strings.Contains(fmt.Sprintf("%+v", out[0].Message), "Reserved.") {
		t.Fatalf("replies after the hang-up = %+v; want the state's own text", out)
	}
	c, err := st.Load(context.Background(), "919812345678")
	if err != nil || c.Vars["reserved"] != true {
		t.Fatalf("conversation after the hang-up = %+v, %v; want the handler's var saved", c, err)
	}
	if rec := post(srv, body); rec.Code != http.StatusOK || sent.Len() != 0 {
		t.Fatalf("the platform's retry: %d, %d more replies; want 200 and none (a duplicate)", rec.Code, sent.Len())
	}
}
