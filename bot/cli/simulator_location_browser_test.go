package cli

import (
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

const locationPageFlow = `flow: deliveries
start: ask
states:
  ask:
    send: [{text: "Where shall we deliver?"}]
    location: done
  done:
    send: [{text: "To {{.Location.Address}} ({{.Location.Latitude}}, {{.Location.Longitude}})"}]
`

// TestSimulatorSharesLocation checks that the simulator's location button
// shares a pin the flow's location route takes, with the place typed in
// its sheet, and shows it as the shopper's message.
func TestSimulatorSharesLocation(t *testing.T) {
	chrome := findChromium(t)
	path := filepath.Join(t.TempDir(), "flow.yaml")
	writeFlow(t, path, locationPageFlow)
	srv := startServe(t, nil, "--flow", path)
	ctx := newBrowser(t, chrome, 1280, 860)

	browserStep(t, ctx, "open the page", chromedp.Navigate(srv.URL+"/simulator?phone=919876500005&name=Noor"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="1"]`)))
	browserStep(t, ctx, "start", chromedp.SendKeys(chromedp.CSS("#composer-input"), "hi\n"),
		waitForText(`#chat li.msg.in p`, "Where shall we deliver?"))
	browserStep(t, ctx, "open the location sheet", chromedp.Click(chromedp.CSS("#location-button")),
		chromedp.WaitVisible(chromedp.CSS("#place-lat")))
	browserStep(t, ctx, "fill in the place",
		chromedp.SetValue(chromedp.CSS("#place-lat"), "-33.8688"), chromedp.SetValue(chromedp.CSS("#place-long"), "151.2093"),
		chromedp.SendKeys(chromedp.CSS("#place-address"), "1 Macquarie St, Sydney"))
	peek(t, ctx, "location-sheet")
	browserStep(t, ctx, "send it", chromedp.Click(chromedp.CSS("#send-place")),
		waitForTextContaining(`#chat li.msg.out p`, "1 Macquarie St, Sydney"),
		waitForText(`#chat li.msg.in p`, "To 1 Macquarie St, Sydney (-33.8688, 151.2093)"),
		waitForText("#state-place", "-33.8688, 151.2093 · 1 Macquarie St, Sydney"))
}
