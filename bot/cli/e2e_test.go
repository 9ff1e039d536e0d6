package cli

import (
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/souk-commerce/souk/store/storetest"

	"github.com/souk-commerce/souk/bot/bottest"
	"github.com/souk-commerce/souk/bot/kaleyra/kaleyratest"
)

// updating reports whether -update was given; the flag is defined by the
// package's external tests, which share this test binary.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// step is one webhook and the requests it must cause at the fake Kaleyra:
// a golden file name each (testdata/e2e/NAME.json), on the path given.
type step struct {
	name  string
	body  string
	sends []string // golden names, in order
}

const (
	numberPath = "/v2/HXAP16000000097IN/whatsapp/" + business + "/messages"
	wabaPath   = "/v2/HXAP16000000097IN/whatsapp/1090000000000001/messages"
)

var conversation = []step{
	{"new conversation starts at welcome", metaHook(textMsg("wamid.E1", "hello")), []string{"welcome-list"}},
	{"tapped row goes to pizzas", metaHook(listReply("wamid.E2", "pizzas")), []string{"pizzas-product-list"}},
	{"on key back", metaHook(listReply("wamid.E3", "back")), []string{"welcome-list"}},
	{"tapped drinks row", metaHook(listReply("wamid.E4", "drinks")), []string{"lemonade-product"}},
	{"keyword from a deep state", metaHook(textMsg("wamid.E5", "  MENU ")), []string{"welcome-list"}},
	{"catalogue link", kaleyraHook(listReply("wamid.E6", "catalogue")), []string{"catalogue-link"}},
	{"cart goes to order state", metaHook(orderMsg("wamid.E7")), []string{"thanks-summary", "thanks-text"}},
	{"keyword to the template", metaHook(textMsg("wamid.E8", "offer")), []string{"offer-template"}},
	{"an answer to the template goes to the menu (else)", metaHook(textMsg("wamid.E9", "what?")), []string{"welcome-list"}},
	{"back to the menu", metaHook(textMsg("wamid.E10", "menu")), []string{"welcome-list"}},
	{"opening hours buttons", metaHook(listReply("wamid.E11", "help")), []string{"hours-buttons"}},
	{"button reply", metaHook(buttonReply("wamid.E12", "pizzas")), []string{"pizzas-product-list"}},
	{"the same webhook again moves nothing", metaHook(buttonReply("wamid.E12", "pizzas")), nil},
	{"a status moves nothing", statusHook("wamid.OUT1"), nil},
}

func TestEndToEndMiniredis(t *testing.T) { runConversation(t, "", "") }

func TestEndToEndRealRedis(t *testing.T) {
	url := storetest.RedisURL(t)
	prefix := storetest.Prefix()
	storetest.OpenRedis(t, url, prefix, 1) // deletes every key under prefix when t ends
	runConversation(t, url, prefix)
}

func runConversation(t *testing.T, redisURL, prefix string) {
	fake := kaleyratest.Run(t)
	base := startServer(t, redisURL, prefix, fake.URL)
	for _, s := range conversation {
		before := fake.Len()
		postWebhook(t, base, s.body, http.StatusOK)
		got := fake.WaitFor(before+len(s.sends), 5*time.Second)[before:]
		if len(got) != len(s.sends) {
			t.Fatalf("%s: %d requests, want %d", s.name, len(got), len(s.sends))
		}
		for i, r := range got {
			checkRequest(t, s.name, r, s.sends[i])
		}
	}
	if n := fake.Len(); n != 13 {
		t.Errorf("fake Kaleyra got %d requests in all, want 13 (nothing for the duplicate and the status)", n)
	}
}

func startServer(t *testing.T, redisURL, prefix, kaleyraURL string) string {
	t.Helper()
	vars := map[string]string{"REDIS_URL": redisURL, "SOUK_REDIS_PREFIX": prefix, "KALEYRA_API_KEY": "test-key-123", "KALEYRA_SID": "HXAP16000000097IN",
		"KALEYRA_BASE_URL": kaleyraURL, "KALEYRA_NUMBER": business, "KALEYRA_WABA_ID": "1090000000000001"}
	return startServe(t, vars, "--flow", "../../examples/pizzeria/flow.yaml").URL
}

func postWebhook(t *testing.T, base, body string, want int) {
	t.Helper()
	resp, err := http.Post(base+"/webhook", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("POST /webhook: status %d, want %d: %s", resp.StatusCode, want, b)
	}
}

// checkRequest compares one request with its golden file: method, path,
// headers, and the JSON body with the random extra_info.ref blanked.
func checkRequest(t *testing.T, step string, r kaleyratest.Request, golden string) {
	t.Helper()
	wantPath := numberPath
	if strings.HasSuffix(golden, "-template") {
		wantPath = wabaPath
	}
	if r.Method != http.MethodPost || r.Path != wantPath {
		t.Errorf("%s: %s %s, want POST %s", step, r.Method, r.Path, wantPath)
	}
	if r.Header.Get("api-key") != "test-key-123" || r.Header.Get("Content-Type") != "application/json" {
		t.Errorf("%s: headers api-key=%q Content-Type=%q", step, r.Header.Get("api-key"), r.Header.Get("Content-Type"))
	}
	got := normalise(t, r.Body)
	if !bottest.Golden(t, filepath.Join("testdata", "e2e", golden+".json"), got, updating()) {
		t.Errorf("%s: the body above differs from its golden file", step)
	}
}

// normalise indents a JSON body and replaces the random extra_info.ref,
// checking it is a 16-character id souk made.
func normalise(t *testing.T, body []byte) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("body is not JSON: %v: %s", err, body)
	}
	if x, ok := doc["extra_info"].(map[string]any); ok {
		if ref, _ := x["ref"].(string); len(ref) == 16 {
			x["ref"] = "<souk id>"
		}
	}
	out, _ := json.MarshalIndent(doc, "", "  ")
	return append(out, '\n')
}
