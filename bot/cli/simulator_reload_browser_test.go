package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/souk-commerce/souk/handlers"
)

const (
	reloadedFlowBefore = "flow: corner-shop\nstart: hello\nstates:\n  hello:\n    send: [{text: Welcome to the corner shop}]\n"
	reloadedFlowBroken = "flow: corner-shop\nstart: hello\nstates:\n  hello:\n    send: [{txt: Welcome back}]\n"
	reloadedFlowFixed  = "flow: corner-shop-2\nstart: hello\nstates:\n  hello:\n    send: [{text: Welcome back}]\n"
)

// TestSimulatorShowsRejectedReload checks that a merchant editing the flow
// with the simulator open sees a change that did not load, with its
// file:line:col problems, while the old flow keeps answering; and that
// fixing it clears that, notes the reload and answers with the new flow.
func TestSimulatorShowsRejectedReload(t *testing.T) {
	chrome := findChromium(t)
	path := filepath.Join(t.TempDir(), "flow.yaml")
	writeFlow(t, path, reloadedFlowBefore)
	var cfg serveConfig
	srv := startServeWith(t, nil, func(c *serveConfig) { cfg = *c }, "--flow", path)
	reg := handlers.NewRegistry()
	handlers.RegisterBuiltins(reg)
	r := serveReloader(cfg, &Env{Handlers: reg}, srv.app, newLogger(srv.Log, nil))
	ctx := newBrowser(t, chrome, 1280, 860)

	browserStep(t, ctx, "open the page", chromedp.Navigate(srv.URL+"/simulator?phone=919876500003&name=Noor"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="1"]`)))
	writeFlow(t, path, reloadedFlowBroken)
	if r.reload("file changed") {
		t.Fatal("the broken flow was loaded")
	}
	browserStep(t, ctx, "see the rejection", chromedp.WaitVisible(chromedp.CSS("#flow-rejected")))
	banner := value(t, ctx, "read the rejection", chromedp.Text(chromedp.CSS("#flow-rejected")))
	for _, want := range []string{"The last change to " + path + " or its products file was not loaded", path + `:5:13: state hello.send: unknown key "txt" (did you mean "text"?)`} {
		if !strings.Contains(banner, want) {
			t.Errorf("the rejection %q lacks %q", banner, want)
		}
	}
	browserStep(t, ctx, "a page opened now shows it too", chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="1"][data-flow-rejected="1"] #flow-rejected`)))
	browserStep(t, ctx, "the old flow answers", chromedp.SendKeys(chromedp.CSS("#composer-input"), "hi\n"),
		waitForText(`#chat li.msg.in p`, "Welcome to the corner shop"))
	peek(t, ctx, "rejected-reload")

	writeFlow(t, path, reloadedFlowFixed)
	if !r.reload("file changed") {
		t.Fatalf("the fixed flow was rejected:\n%s", srv.Log)
	}
	browserStep(t, ctx, "see the reload", chromedp.WaitNotVisible(chromedp.CSS("#flow-rejected")),
		waitForText(`#chat li.note`, "Flow reloaded (corner-shop-2): the next message uses it."),
		waitForText(`#flow-name`, "corner-shop-2"))
	browserStep(t, ctx, "the new flow answers", chromedp.SendKeys(chromedp.CSS("#composer-input"), "hi again\n"),
		waitForText(`#chat li.msg.in p`, "Welcome back"))
	peek(t, ctx, "reloaded")
}

func writeFlow(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// waitForText polls until an element matching css has exactly text.
func waitForText(css, text string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Poll[bool](fmt.Sprintf(`[...document.querySelectorAll(%q)].some(e => e.textContent === %q)`, css, text),
			chromedp.WithPollingTimeout(10*time.Second))(ctx, tg)
		return err
	})
}
