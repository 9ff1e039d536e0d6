package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const gatherPageFlow = `flow: deliveries
start: ask
states:
  ask:
    send: [{text: "Where to?"}]
    save: address
    gather: 2s
    text: done
  done:
    send: [{text: "To {{.Vars.address}}"}]
`

// TestSimulatorShowsHeldAnswer checks that the simulator's state panel
// shows an answer a gather holds, and that the answer goes on, whole, once
// nothing more is typed.
func TestSimulatorShowsHeldAnswer(t *testing.T) {
	chrome := findChromium(t)
	path := filepath.Join(t.TempDir(), "flow.yaml")
	writeFlow(t, path, gatherPageFlow)
	srv := startServe(t, nil, "--flow", path)
	ctx := newBrowser(t, chrome, 1280, 860)

	browserStep(t, ctx, "open the page", chromedp.Navigate(srv.URL+"/simulator?phone=919876500004&name=Noor"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="1"]`)))
	browserStep(t, ctx, "start", chromedp.SendKeys(chromedp.CSS("#composer-input"), "hi\n"),
		waitForText(`#chat li.msg.in p`, "Where to?"))
	browserStep(t, ctx, "type the address in two messages", chromedp.SendKeys(chromedp.CSS("#composer-input"), "12 Baker Street\n"),
		chromedp.SendKeys(chromedp.CSS("#composer-input"), "London\n"),
		waitForTextContaining(`#state-name`, `holding the answer typed so far (gather), until nothing more is typed: "12 Baker Street\nLondon"`))
	peek(t, ctx, "held-answer")
	browserStep(t, ctx, "the answer goes on", waitForText(`#chat li.msg.in p`, "To 12 Baker Street\nLondon"))
}

// waitForTextContaining polls until an element matching css has text
// that contains part.
func waitForTextContaining(css, part string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Poll[bool](fmt.Sprintf(`[...document.querySelectorAll(%q)].some(e => e.textContent.includes(%q))`, css, part),
			chromedp.WithPollingTimeout(10*time.Second))(ctx, tg)
		return err
	})
}
