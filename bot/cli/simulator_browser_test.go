package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The browser test drives the web simulator for examples/pizzeria in a
// headless Chromium, through `souk serve`'s own wiring. It is skipped when
// no Chromium is installed (.ci/run installs Debian's). Set
// SOUK_UPDATE_SCREENSHOT=1 to rewrite examples/pizzeria/simulator.png.
//
//	SOUK_UPDATE_SCREENSHOT=1 go test ./bot/cli -run TestSimulatorInBrowser

const (
	shopperPhone = "919876543210"
	screenshot   = "../../examples/pizzeria/simulator.png"
)

func TestSimulatorInBrowser(t *testing.T) {
	srv, ctx := startSimulator(t, nil)
	browserStep(t, ctx, "open the page", chromedp.Navigate(srv.URL+"/simulator?phone="+shopperPhone+"&name=Asha"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="1"]`)))
	browserStep(t, ctx, "type hello", chromedp.SendKeys(chromedp.CSS("#composer-input"), "hello\n"),
		chromedp.WaitVisible(chromedp.CSS(`#chat li.msg.in[data-kind="list"]`)))
	browserStep(t, ctx, "open the list and tap Pizzas",
		chromedp.Click(chromedp.CSS(`#chat li[data-kind="list"] button.action`)),
		chromedp.WaitVisible(chromedp.CSS(`#sheet[open] button.row[data-id="pizzas"]`)))
	peek(t, ctx, "list")
	browserStep(t, ctx, "tap Pizzas",
		chromedp.Click(chromedp.CSS(`#sheet button.row[data-id="pizzas"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#chat li.msg.in[data-kind="product_list"]`)))
	browserStep(t, ctx, "add two margheritas and a diavola",
		chromedp.Click(chromedp.CSS(`#chat li[data-kind="product_list"] button.action`)),
		chromedp.WaitVisible(chromedp.CSS(`#sheet[open] li.product-row[data-id="pz-margherita"]`)),
		chromedp.Click(chromedp.CSS(`#sheet li[data-id="pz-margherita"] button[aria-label^="Add one"]`)),
		chromedp.Click(chromedp.CSS(`#sheet li[data-id="pz-margherita"] button[aria-label^="Add one"]`)),
		chromedp.Click(chromedp.CSS(`#sheet li[data-id="pz-diavola"] button[aria-label^="Add one"]`)))
	peek(t, ctx, "products")
	row := value(t, ctx, "read a product row", chromedp.Text(chromedp.CSS(`#sheet li.product-row[data-id="pz-margherita"]`)))
	for _, want := range []string{"Margherita", "9.50 EUR", "Tomato, fior di latte, basil"} {
		if !strings.Contains(row, want) {
			t.Errorf("product row %q lacks %q (from examples/pizzeria/products.csv)", row, want)
		}
	}
	amounts := value(t, ctx, "write amounts", chromedp.Evaluate[string](`[money(1500, "JPY"), money(3.71, "KWD"), money(2, "")].join("|")`))
	if amounts != "1500 JPY|3.710 KWD|2.00" {
		t.Errorf("amounts written %q, want each currency's decimals as bot/catalog writes them", amounts)
	}
	browserStep(t, ctx, "send the cart",
		chromedp.Click(chromedp.CSS(`#view-cart`)),
		chromedp.WaitVisible(chromedp.CSS(`#sheet[open] #send-cart`)),
		chromedp.Click(chromedp.CSS(`#send-cart`)),
		chromedp.WaitVisible(chromedp.CSS(`#chat li.msg.out[data-kind="order"]`)))

	const reply = "Thanks Asha, your order of 3 item(s) is in! Type menu to start again."
	browserStep(t, ctx, "see the order state's reply",
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Poll[bool](fmt.Sprintf(`[...document.querySelectorAll("#chat li.msg.in p")].some(p => p.textContent === %q)`+
				` && document.body.dataset.state === "thanks" && document.querySelectorAll("#outbound li.req.out").length === 4`, reply),
				chromedp.WithPollingTimeout(10*time.Second))(ctx, tg)
			return err
		}))

	cart := value(t, ctx, "read the cart sent", chromedp.Text(chromedp.CSS(`#chat li.msg.out[data-kind="order"]`)))
	for _, want := range []string{"2 × Margherita", "1 × Diavola", "30.00 EUR"} {
		if !strings.Contains(cart, want) {
			t.Errorf("the cart bubble %q lacks %q", cart, want)
		}
	}
	if chat := value(t, ctx, "read the chat", chromedp.Text(chromedp.CSS("#chat"))); !strings.Contains(chat, "2 x Margherita @ 9.50 = 19.00 EUR") ||
		!strings.Contains(chat, "Total: 30.00 EUR") {
		t.Errorf("the order summary lacks the catalogue's names or a non-zero total:\n%s", chat)
	}
	hooks := value(t, ctx, "read the webhooks sent", chromedp.Evaluate[[]string](`[...document.querySelectorAll("#outbound li.req.in pre")].map(p => p.textContent)`))
	if len(hooks) != 3 {
		t.Fatalf("%d webhooks sent, want 3", len(hooks))
	}
	if order := strings.Join(strings.Fields(hooks[2]), ""); !strings.Contains(order, `"product_retailer_id":"pz-margherita","quantity":2,"item_price":9.5,"currency":"EUR"`) ||
		!strings.Contains(order, `"product_retailer_id":"pz-diavola","quantity":1,"item_price":11,"currency":"EUR"`) {
		t.Errorf("the cart's webhook lacks the catalogue prices: %q", hooks)
	}

	browserStep(t, ctx, "switch the requests panel to exact bytes", chromedp.Click(chromedp.CSS("#exact")))
	shown := value(t, ctx, "read the requests panel",
		chromedp.Evaluate[[]string](`[...document.querySelectorAll("#outbound li.req.out pre")].map(p => p.textContent)`))
	sent := dryRunBodies(t, srv.Log.String(), shopperPhone)
	if !slices.Equal(shown, sent) {
		t.Errorf("the requests panel shows\n%s\nwant the dry-run sender's bytes\n%s", strings.Join(shown, "\n"), strings.Join(sent, "\n"))
	}
	checkSeedShapes(t, sent)

	if state := value(t, ctx, "read the state panel", chromedp.Text(chromedp.CSS("#state-name"))); state != "thanks" {
		t.Errorf("state panel = %q, want thanks", state)
	}
	if os.Getenv("SOUK_UPDATE_SCREENSHOT") != "" && !t.Failed() {
		updateScreenshots(t, ctx)
	}
}

// browserStep runs one named step of the browser session.
func browserStep(t *testing.T, ctx context.Context, step string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", step, err)
	}
}

// value runs one named step that returns a value.
func value[T any](t *testing.T, ctx context.Context, step string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	return v
}

// findChromium returns the browser to drive, or skips the test.
func findChromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("SOUK_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no chromium found (apt-get install chromium, or set SOUK_CHROMIUM): skipping the simulator browser test")
	return ""
}

// startSimulator serves examples/pizzeria with vars as its environment
// and opens a 1280×860 headless Chromium to drive it, or skips the test
// when there is no Chromium.
func startSimulator(t *testing.T, vars map[string]string) (*testServer, context.Context) {
	t.Helper()
	chrome := findChromium(t)
	srv := startServe(t, vars, "--flow", "../../examples/pizzeria/flow.yaml")
	return srv, newBrowser(t, chrome, 1280, 860)
}

// newBrowser starts a headless Chromium with a fresh profile and returns a
// tab's context that ends with the test (30 s at most). If the test
// failed, what the tab shows is saved before the browser is closed.
func newBrowser(t *testing.T, chrome string, width, height int) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chrome), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(width, height),
		chromedp.Env("TMPDIR=" + t.TempDir()), // where Chromium leaves its singleton socket's directory
		chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.Flag("disable-quic", true),
		chromedp.Flag("hide-scrollbars", true), chromedp.Flag("mute-audio", true),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	tab, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelTab(); cancelAlloc() })
	if err := chromedp.Do(tab); err != nil { // starts the browser; no deadline on this first call
		t.Fatalf("starting %s: %v", chrome, err)
	}
	t.Cleanup(func() { // runs before the browser is closed, above
		if t.Failed() {
			saveFailureScreenshot(t, tab)
		}
	})
	ctx, cancelTime := context.WithTimeout(tab, 30*time.Second)
	t.Cleanup(cancelTime)
	return ctx
}

// dryRunBodies returns, in order, the exact bodies the dry-run sender
// logged for phone (the log masks the number; it is put back).
func dryRunBodies(t *testing.T, logs, phone string) []string {
	t.Helper()
	masked := strings.Repeat("*", len(phone)-4) + phone[len(phone)-4:]
	var bodies []string
	sc := bufio.NewScanner(strings.NewReader(logs))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var rec struct{ Msg, Body string }
		if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Msg == "kaleyra dry run" {
			bodies = append(bodies, strings.ReplaceAll(rec.Body, masked, phone))
		}
	}
	return bodies
}

// checkSeedShapes compares the key tree of each body's message object with
// the golden request of the same kind (the Kaleyra seeds): the simulator
// must show what souk really sends.
func checkSeedShapes(t *testing.T, bodies []string) {
	t.Helper()
	kinds := []string{"list", "product_list", "text", "text"}
	if len(bodies) != len(kinds) {
		t.Fatalf("%d requests sent, want %d (%v)", len(bodies), len(kinds), kinds)
	}
	for i, kind := range kinds {
		golden, err := os.ReadFile(filepath.Join("../whatsapp/testdata/golden", kind+".json"))
		if err != nil {
			t.Fatal(err)
		}
		got, want := keyPaths(t, []byte(bodies[i]), "messaging_object"), keyPaths(t, golden, "messaging_object")
		if !slices.Equal(got, want) {
			t.Errorf("request %d (%s) has keys %v, want the seed's %v", i+1, kind, got, want)
		}
	}
}

// keyPaths lists the sorted key paths under field of a JSON object; array
// elements share the path "[]".
func keyPaths(t *testing.T, body []byte, field string) []string {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("%s: %v", body, err)
	}
	set := map[string]bool{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				set[prefix+"."+k] = true
				walk(prefix+"."+k, c)
			}
		case []any:
			for _, c := range x {
				walk(prefix+"[]", c)
			}
		}
	}
	walk("", v[field])
	paths := make([]string, 0, len(set))
	for p := range set {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	return paths
}

// peek saves what the browser shows into the temp dir when screenshots
// are being updated, to look at the sheets too.
func peek(t *testing.T, ctx context.Context, name string) {
	if os.Getenv("SOUK_UPDATE_SCREENSHOT") == "" {
		return
	}
	png := value(t, ctx, "peek "+name, chromedp.CaptureScreenshot())
	p := filepath.Join(os.TempDir(), "souk-simulator-"+name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", p)
}

// saveFailureScreenshot keeps what the browser's tab showed when the test
// failed; tab is not bound by the test's deadline.
func saveFailureScreenshot(t *testing.T, tab context.Context) {
	sctx, cancel := context.WithTimeout(tab, 5*time.Second)
	defer cancel()
	png, err := chromedp.Run(sctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Logf("no failure screenshot: %v", err)
		return
	}
	dir, err := os.MkdirTemp("", "souk-simulator-failure-")
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, "simulator.png"), png, 0o644)
	}
	if err != nil {
		t.Logf("no failure screenshot: %v", err)
		return
	}
	t.Logf("failure screenshot: %s", filepath.Join(dir, "simulator.png"))
}

// updateScreenshots writes the README's screenshot (desktop width, pretty
// JSON) and, for a look, a phone-sized one into the temp dir.
func updateScreenshots(t *testing.T, ctx context.Context) {
	scroll := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Evaluate[any](`document.querySelector("#chat").scrollTop = 1e6; window.scrollTo(0, 0); 0`)(ctx, tg)
		return err
	})
	browserStep(t, ctx, "show pretty JSON", chromedp.Click(chromedp.CSS("#exact")), scroll)
	desk := value(t, ctx, "take the desktop screenshot", chromedp.CaptureScreenshot())
	browserStep(t, ctx, "narrow the window", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile), scroll)
	phone := value(t, ctx, "take the phone screenshot", chromedp.CaptureScreenshot())
	if err := os.WriteFile(screenshot, desk, 0o644); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(os.TempDir(), "souk-simulator-phone.png")
	if err := os.WriteFile(p, phone, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s and %s", screenshot, p)
}

// TestSimulatorRendersEveryKind walks the pizzeria through the message
// kinds the order path does not show: template, reply buttons, single
// product and catalogue link.
func TestSimulatorRendersEveryKind(t *testing.T) {
	srv, ctx := startSimulator(t, map[string]string{"KALEYRA_NUMBER": "919800011122"})
	typed := func(text string) chromedp.Action[chromedp.Void] {
		return chromedp.SendKeys(chromedp.CSS("#composer-input"), text+"\n")
	}
	count := func(kind string, n int) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Poll[bool](fmt.Sprintf(`document.querySelectorAll('#chat li.msg.in[data-kind="%s"]').length >= %d`, kind, n),
				chromedp.WithPollingTimeout(10*time.Second))(ctx, tg)
			return err
		})
	}
	browserStep(t, ctx, "open the page", chromedp.Navigate(srv.URL+"/simulator?phone=919876500001&name=Ravi"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="1"]`)))
	browserStep(t, ctx, "start", typed("hi"), count("list", 1))
	browserStep(t, ctx, "open the list from the keyboard", chromedp.Focus(chromedp.CSS(`#chat li[data-kind="list"] button.action`)),
		chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS(`#sheet[open]`)))
	if focused := value(t, ctx, "read the focus", chromedp.Evaluate[string](`document.activeElement.dataset.id || ""`)); focused != "pizzas" {
		t.Errorf("focus in the open list is on %q, want the first row", focused)
	}
	browserStep(t, ctx, "close it with Escape", chromedp.KeyEvent(kb.Escape), chromedp.WaitNotVisible(chromedp.CSS(`#sheet`)))
	browserStep(t, ctx, "the offer template", typed("offer"), count("template", 1))
	browserStep(t, ctx, "reply buttons", typed("menu"), count("list", 2), typed("help"), count("button", 1))
	browserStep(t, ctx, "tap a reply button", chromedp.Click(chromedp.CSS(`#chat li[data-kind="button"] .reply-buttons button:last-child`)),
		count("list", 3))
	browserStep(t, ctx, "single product", typed("drinks"), count("product", 1),
		chromedp.Click(chromedp.CSS(`#chat li[data-kind="product"] button.action`)),
		chromedp.WaitVisible(chromedp.CSS(`#sheet[open] .product-detail`)))
	peek(t, ctx, "product")
	if detail := value(t, ctx, "read the product", chromedp.Text(chromedp.CSS(`#sheet .product-detail`))); !strings.Contains(detail, "Lemonade") ||
		!strings.Contains(detail, "3.00 EUR") || !strings.Contains(detail, "dr-lemonade") {
		t.Errorf("product sheet %q lacks the name, price or retailer id", detail)
	}
	browserStep(t, ctx, "catalogue link", chromedp.Click(chromedp.CSS("#sheet-close")), typed("menu"), count("list", 4),
		typed("catalogue"), count("catalog_link", 1))
	template := value(t, ctx, "read the template", chromedp.Text(chromedp.CSS(`#chat li[data-kind="template"]`)))
	for _, want := range []string{"pizza_of_the_week", "Diavola", "11.00 EUR", "pz-diavola", "Ravi", "20%"} {
		if !strings.Contains(template, want) {
			t.Errorf("template bubble %q lacks %q", template, want)
		}
	}
	link := value(t, ctx, "read the catalogue link", chromedp.Text(chromedp.CSS(`#chat li[data-kind="catalog_link"]`)))
	if !strings.Contains(link, "View catalogue") || !strings.Contains(link, "https://wa.me/c/919800011122") {
		t.Errorf("catalogue bubble %q lacks the preview or the link", link)
	}
	peek(t, ctx, "kinds")
}

// TestSimulatorCatalogueLinkWithoutNumber checks that a dry run without
// KALEYRA_NUMBER shows the catalogue link's placeholder and says what to
// set, instead of a link with no number.
func TestSimulatorCatalogueLinkWithoutNumber(t *testing.T) {
	srv, ctx := startSimulator(t, nil)
	browserStep(t, ctx, "open the page", chromedp.Navigate(srv.URL+"/simulator?phone=919876500002&name=Mia"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="1"]`)))
	browserStep(t, ctx, "start", chromedp.SendKeys(chromedp.CSS("#composer-input"), "hi\n"),
		chromedp.WaitVisible(chromedp.CSS(`#chat li.msg.in[data-kind="list"]`)))
	browserStep(t, ctx, "ask for the catalogue", chromedp.SendKeys(chromedp.CSS("#composer-input"), "catalogue\n"),
		chromedp.WaitVisible(chromedp.CSS(`#chat li.msg.in[data-kind="catalog_link"]`)))
	link := value(t, ctx, "read the catalogue link", chromedp.Text(chromedp.CSS(`#chat li[data-kind="catalog_link"]`)))
	if !strings.Contains(link, "No business number: set KALEYRA_NUMBER") || !strings.Contains(link, "https://wa.me/c/KALEYRA_NUMBER-not-set") {
		t.Errorf("catalogue bubble %q lacks the placeholder or what to set", link)
	}
}
