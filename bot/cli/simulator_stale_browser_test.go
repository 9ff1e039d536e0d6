package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const stalePageFlow = `flow: stale
start: menu
stale_taps: ignore
keywords: {pizzas: pizzas}
states:
  menu:
    send:
      - list:
          body: What would you like?
          button: Menu
          sections: [{rows: [{id: pizzas, title: Pizzas}, {id: drinks, title: Drinks}]}]
    on: {pizzas: pizzas}
  pizzas:
    send:
      - buttons: {body: "Which pizza?", buttons: [{id: margherita, title: Margherita}]}
    on: {margherita: done}
  done:
    send: [{text: "One margherita, coming up."}]
`

// TestSimulatorStaleTap checks that a tap on a list is sent as a reply to
// that list, so that with stale_taps: ignore the same row tapped twice
// moves nothing: the buttons are sent once. Were the second tap taken,
// the pizzas keyword would send them again, before the reply to the
// margherita tapped after it.
func TestSimulatorStaleTap(t *testing.T) {
	chrome := findChromium(t)
	path := filepath.Join(t.TempDir(), "flow.yaml")
	writeFlow(t, path, stalePageFlow)
	srv := startServe(t, nil, "--flow", path)
	ctx := newBrowser(t, chrome, 1280, 860)

	browserStep(t, ctx, "open the page", chromedp.Navigate(srv.URL+"/simulator?phone=919876500005&name=Noor"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="1"]`)))
	browserStep(t, ctx, "start", chromedp.SendKeys(chromedp.CSS("#composer-input"), "hi\n"),
		chromedp.WaitVisible(chromedp.CSS(`#chat li.msg.in[data-kind="list"]`)))
	for i := range 2 {
		// Each tap's webhook has answered (and so the tap is applied) once
		// the requests panel shows it: hi, then the taps.
		browserStep(t, ctx, fmt.Sprintf("open the list and tap Pizzas (%d)", i+1),
			chromedp.Click(chromedp.CSS(`#chat li[data-kind="list"] button.action`)),
			chromedp.WaitVisible(chromedp.CSS(`#sheet[open] button.row[data-id="pizzas"]`)),
			chromedp.Click(chromedp.CSS(`#sheet button.row[data-id="pizzas"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#chat li.msg.in[data-kind="button"]`)),
			pollTrue(fmt.Sprintf(`document.querySelectorAll("#outbound li.req.in").length >= %d`, i+2)))
	}
	webhook := value(t, ctx, "read the second tap's webhook", chromedp.Evaluate[string](`[...document.querySelectorAll("#outbound li.req.in pre")].pop().textContent`))
	if !strings.Contains(webhook, `"context"`) || !strings.Contains(webhook, "wamid.SIMOUT") {
		t.Fatalf("the tap on the list names no message:\n%s", webhook)
	}
	browserStep(t, ctx, "tap Margherita", chromedp.Click(chromedp.CSS(`#chat li[data-kind="button"] .reply-buttons button`)),
		waitForText(`#chat li.msg.in p`, "One margherita, coming up."))
	if n := value(t, ctx, "count the buttons", chromedp.Evaluate[int](`document.querySelectorAll('#chat li.msg.in[data-kind="button"]').length`)); n != 1 {
		t.Fatalf("the buttons were sent %d times: the second tap was taken", n)
	}
}

// pollTrue polls until the JavaScript expression js is true.
func pollTrue(js string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Poll[bool](js, chromedp.WithPollingTimeout(10*time.Second))(ctx, tg)
		return err
	})
}
