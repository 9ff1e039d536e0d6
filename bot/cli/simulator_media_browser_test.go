package cli

import (
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

const mediaPageFlow = `flow: receipts
start: ask
states:
  ask:
    send: [{text: "Please send the receipt"}]
    media: done
  done:
    send: [{text: "Got the {{.Media.Type}} {{.Media.Filename}} ({{.Media.MimeType}}): {{.Media.Caption}}"}]
`

// TestSimulatorSendsMedia checks that the simulator's attach button sends
// a file the flow's media route takes, with the type, caption and name
// chosen in its sheet, and shows it as the shopper's message.
func TestSimulatorSendsMedia(t *testing.T) {
	chrome := findChromium(t)
	path := filepath.Join(t.TempDir(), "flow.yaml")
	writeFlow(t, path, mediaPageFlow)
	srv := startServe(t, nil, "--flow", path)
	ctx := newBrowser(t, chrome, 1280, 860)

	browserStep(t, ctx, "open the page", chromedp.Navigate(srv.URL+"/simulator?phone=919876500006&name=Noor"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="1"]`)))
	browserStep(t, ctx, "start", chromedp.SendKeys(chromedp.CSS("#composer-input"), "hi\n"),
		waitForText(`#chat li.msg.in p`, "Please send the receipt"))
	browserStep(t, ctx, "open the file sheet", chromedp.Click(chromedp.CSS("#media-button")),
		chromedp.WaitVisible(chromedp.CSS("#media-type")))
	browserStep(t, ctx, "choose the file",
		chromedp.SetValue(chromedp.CSS("#media-type"), "document"),
		chromedp.SendKeys(chromedp.CSS("#media-caption"), "paid by UPI"),
		chromedp.SendKeys(chromedp.CSS("#media-filename"), "receipt.pdf"))
	peek(t, ctx, "media-sheet")
	browserStep(t, ctx, "send it", chromedp.Click(chromedp.CSS("#send-media")),
		waitForTextContaining(`#chat li.msg.out p`, "paid by UPI"),
		waitForText(`#chat li.msg.in p`, "Got the document receipt.pdf (application/pdf): paid by UPI"),
		waitForTextContaining("#state-file", "document · receipt.pdf · “paid by UPI” · application/pdf · id SIM"))
}
