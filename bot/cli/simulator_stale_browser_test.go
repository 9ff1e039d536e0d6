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
keywords: {drinks: drinks}
states:
  menu:
    send:
      - list:
          body: What would you like?
          button: Menu
          sections: [{rows: [{id: pizzas, title: Pizzas}, {id: drinks, title: Drinks}]}]
    on: {pizzas: pizzas, drinks: drinks}
  pizzas:
    send:
      - buttons: {body: "Which pizza?", buttons: [{id: margherita, title: Margherita}]}
    on: {margherita: done}
  drinks:
    send: [{text: "Drinks come soon."}]
  done:
    send: [{text: "One margherita, coming up."}]
`

// TestSimulatorStaleTap checks that a tap on a list the shopper already
// answered is sent as a reply to that list, so that with stale_taps:
// ignore it moves nothing: the buttons sent after it still lead on. Were
// the old tap taken, the drinks keyword would take the shopper to drinks,
// and "Drinks come soon." would be among the replies.
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
	for i, row := range []string{"pizzas", "drinks"} {
		// Each tap's webhook has answered (and so the tap is applied) once
		// the requests panel shows it: hi, then the taps.
		browserStep(t, ctx, "open the list and tap "+row,
			chromedp.Click(chromedp.CSS(`#chat li[data-kind="list"] button.action`)),
			chromedp.WaitVisible(chromedp.CSS(`#sheet[open] button.row[data-id="`+row+`"]`)),
			chromedp.Click(chromedp.CSS(`#sheet button.row[data-id="`+row+`"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#chat li.msg.in[data-kind="button"]`)),
			pollTrue(fmt.Sprintf(`document.querySelectorAll("#outbound li.req.in").length >= %d`, i+2)))
	}
	webhook := value(t, ctx, "read the second tap's webhook", chromedp.Evaluate[string](`[...document.querySelectorAll("#outbound li.req.in pre")].pop().textContent`))
	if !strings.Contains(webhook, `"context"`) || !strings.Contains(webhook, "wamid.SIMOUT") {
		t.Fatalf("the tap on the old list names no message:\n%s", webhook)
	}
	browserStep(t, ctx, "tap Margherita", chromedp.Click(chromedp.CSS(`#chat li[data-kind="button"] .reply-buttons button`)),
		waitForText(`#chat li.msg.in p`, "One margherita, coming up."))
	texts := value(t, ctx, "read the replies", chromedp.Evaluate[[]string](`[...document.querySelectorAll("#chat li.msg.in p")].map(e => e.textContent)`))
	for _, s := range texts {
		if s == "Drinks come soon." {
			t.Fatalf("the stale tap was taken: %q", texts)
		}
	}
}

// pollTrue polls until the JavaScript expression js is true.
func pollTrue(js string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Poll[bool](js, chromedp.WithPollingTimeout(10*time.Second))(ctx, tg)
		return err
	})
}
