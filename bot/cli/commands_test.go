package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot/bottest"
	"github.com/souk-commerce/souk/bot/kaleyra"
	"github.com/souk-commerce/souk/bot/kaleyra/kaleyratest"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/handlers"
)

const pizzeria = "../../examples/pizzeria/flow.yaml"

var timestamps = regexp.MustCompile(`"timestamp":\s*"\d+"`)

// restamp dates every message of a fixture at now, so replies fall inside
// the 24-hour customer-service window.
func restamp(body []byte, now time.Time) []byte {
	return timestamps.ReplaceAll(body, []byte(fmt.Sprintf(`"timestamp":"%d"`, now.Unix())))
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("../../examples/pizzeria/fixtures", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// oneLine compacts a JSON fixture onto one line.
func oneLine(b []byte) string { return strings.Join(strings.Fields(string(b)), " ") }

func run(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	reg := handlers.NewRegistry()
	handlers.RegisterBuiltins(reg)
	code := Run(context.Background(), &Env{Stdout: &out, Stderr: &errOut, Handlers: reg,
		Getenv: func(k string) string { return env[k] }}, args)
	return code, out.String(), errOut.String()
}

func TestReplay(t *testing.T) {
	hi, tap := oneLine(fixture(t, "meta-hi.json")), oneLine(fixture(t, "kaleyra-tap-pizzas.json"))
	tests := []struct {
		name  string
		lines []string
		code  int
		want  []string // in order
	}{
		{name: "both envelopes and a redelivery", lines: []string{hi, "", tap, hi}, code: 0,
			want: []string{":1: meta text from 91*******233: (new) -> welcome (start), 1 sent", `"type":"list"`,
				":3: kaleyra list_reply", "welcome -> pizzas (on), 1 sent", `"type":"product_list"`, ":4: meta text", "duplicate"}},
		{name: "a malformed line is reported and the rest replayed", lines: []string{"{oops", hi}, code: 1,
			want: []string{":1: whatsapp: malformed JSON", ":2: meta text", `"type":"list"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "rec.jsonl")
			if err := os.WriteFile(file, []byte(strings.Join(tt.lines, "\n")+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			code, out, errOut := run(t, map[string]string{"KALEYRA_SID": "SID9", "KALEYRA_NUMBER": "15550000000"},
				"replay", "--flow", pizzeria, file)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tt.code, out, errOut)
			}
			rest := out
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("output lacks %q (in order):\n%s", w, out)
				}
				rest = rest[i+len(w):]
			}
			if tt.code == 0 && !strings.Contains(out, "POST /v2/SID9/whatsapp/15550000000/messages") {
				t.Errorf("output lacks the send path from KALEYRA_*:\n%s", out)
			}
		})
	}
}

// TestReplayClockFollowsRecording checks that a first line without a
// timestamp (a Kaleyra notice) does not fix the replay's clock at the
// wall clock, which would put every later, older message outside its
// 24-hour window.
func TestReplayClockFollowsRecording(t *testing.T) {
	notice := `{"code":"WAV2101","status":"not sent","message_id":"abc","extra_info":{"ref":"r"}}`
	file := filepath.Join(t.TempDir(), "rec.jsonl")
	if err := os.WriteFile(file, []byte(notice+"\n"+oneLine(fixture(t, "meta-hi.json"))+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, map[string]string{"KALEYRA_NUMBER": "15550000000"}, "replay", "--flow", pizzeria, file)
	if code != 0 || !strings.Contains(out, "-> welcome (start), 1 sent") {
		t.Fatalf("exit %d\n%s%s\nwant the hello answered", code, out, errOut)
	}
}

// TestReplayBusinessNumber checks that replay refuses a KALEYRA_NUMBER
// that serve would refuse, rather than render catalogue links to it.
func TestReplayBusinessNumber(t *testing.T) {
	file := filepath.Join(t.TempDir(), "rec.jsonl")
	if err := os.WriteFile(file, []byte(oneLine(fixture(t, "meta-hi.json"))+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := run(t, map[string]string{"KALEYRA_NUMBER": "abc"}, "replay", "--flow", pizzeria, file)
	if code != 1 || !strings.Contains(errOut, "KALEYRA_NUMBER must be E.164 digits") {
		t.Errorf("exit %d, stderr:\n%s\nwant 1 and what KALEYRA_NUMBER must be", code, errOut)
	}
}

// TestServeRefusesConfig checks settings serve refuses before it starts,
// each with a message that names what is wrong.
func TestServeRefusesConfig(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"an argument where a flag was meant: it and the flags after it would be ignored", nil,
			[]string{"--flow", pizzeria, "stray", "--addr", "127.0.0.1:0"}, `unexpected argument "stray"`},
		{"a flow file given without --flow", map[string]string{"SOUK_FLOW": pizzeria},
			[]string{"other.yaml"}, `unexpected argument "other.yaml"`},
		{"a first retry wait longer than the cap", map[string]string{"SOUK_OUTBOX_BACKOFF": "10m", "SOUK_OUTBOX_MAX_BACKOFF": "1m"},
			[]string{"--flow", pizzeria}, "SOUK_OUTBOX_BACKOFF (10m0s) is longer than SOUK_OUTBOX_MAX_BACKOFF (1m0s)"},
		{"a first retry wait longer than the default cap", map[string]string{"SOUK_OUTBOX_BACKOFF": "10m"},
			[]string{"--flow", pizzeria}, "is longer than SOUK_OUTBOX_MAX_BACKOFF (5m0s)"},
		{"a token header that no request can carry", map[string]string{"WEBHOOK_TOKEN": "t", "WEBHOOK_TOKEN_HEADER": "bad header"},
			[]string{"--flow", pizzeria, "--addr", "127.0.0.1:0"}, `"bad header" is not an HTTP header name`},
		{"a token header without a token: webhooks would go unchecked", map[string]string{"WEBHOOK_TOKEN_HEADER": "X-Token"},
			[]string{"--flow", pizzeria, "--addr", "127.0.0.1:0"}, "no token (WEBHOOK_TOKEN)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := run(t, tt.env, append([]string{"serve"}, tt.args...)...)
			if code == 0 || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant a failure that says %q", code, errOut, tt.want)
			}
		})
	}
}

func TestServeRecordThenReplay(t *testing.T) {
	file := filepath.Join(t.TempDir(), "rec.jsonl")
	app := newApp(t, map[string]string{"SOUK_RECORD_SECRET": "s3cret"}, &bytes.Buffer{}, "--flow", pizzeria, "--record", file)
	post := func(body []byte) int {
		w := httptest.NewRecorder()
		app.server.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/webhook", bytes.NewReader(body)))
		return w.Code
	}
	for _, body := range [][]byte{fixture(t, "meta-hi.json"), fixture(t, "kaleyra-tap-pizzas.json"), fixture(t, "meta-hi.json"), []byte("{bad")} {
		post(body)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 3 {
		t.Fatalf("recorded %d lines, want the 3 accepted bodies:\n%s", len(lines), data)
	}
	for _, secret := range []string{"919811122233", "ravi", "wamid.fixture"} {
		if strings.Contains(strings.ToLower(string(data)), secret) {
			t.Errorf("%q survived in the recording:\n%s", secret, data)
		}
	}
	code, out, errOut := run(t, nil, "replay", "--flow", pizzeria, file)
	if code != 0 {
		t.Fatalf("replay exit %d:\n%s%s", code, out, errOut)
	}
	pseudo := regexp.MustCompile(`"to":"\+(1555\d{9})"`).FindAllStringSubmatch(out, -1)
	if len(pseudo) != 2 || pseudo[0][1] != pseudo[1][1] || !strings.Contains(out, "Hi Shopper ") || !strings.Contains(out, "duplicate") {
		t.Errorf("replay of the recording:\n%s\nwant two replies to one pseudonym, the pseudonymous name, and a duplicate", out)
	}
}

func TestTestCommand(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{name: "passing", args: []string{"../flowtest/testdata/shop.yaml"}, code: 0, want: "2 passed, 0 failed"},
		{name: "failing", args: []string{"../flowtest/testdata/failing.yaml"}, code: 1, want: "1 passed, 4 failed"},
		{name: "no tests", args: []string{"../flowtest/testdata/notests.yaml"}, code: 0, want: "no tests"},
		{name: "the pizzeria", args: []string{pizzeria}, code: 0, want: " passed, 0 failed"},
		{name: "no files", code: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, nil, append([]string{"test"}, tt.args...)...)
			if code != tt.code || !strings.Contains(out, tt.want) {
				t.Errorf("souk test %v: exit %d, output\n%s%s\nwant exit %d and %q", tt.args, code, out, errOut, tt.code, tt.want)
			}
		})
	}
}

func TestMockKaleyraCommand(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, errOut := &bottest.Buffer{}, &bottest.Buffer{}
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, &Env{Stdout: out, Stderr: errOut}, []string{"mock-kaleyra", "--addr", "127.0.0.1:0", "--api-key", "k1"})
	}()
	url := ""
	bottest.Eventually(t, "mock-kaleyra to print its address", 5*time.Second, func() bool {
		url = regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindString(out.String())
		return url != ""
	})
	c, _ := kaleyra.New(kaleyra.Config{APIKey: "k1", SID: "S", Number: "15550000000", BaseURL: url})
	res, err := c.Send(ctx, whatsapp.Outbound{ID: "x", To: "15550001111", Message: whatsapp.Text{Body: "hi"}})
	if err != nil || res.Status != 202 || res.MessageID == "" {
		t.Fatalf("Send = %+v, %v; want 202 and a message id", res, err)
	}
	cancel()
	if code := <-done; code != 0 || !strings.Contains(errOut.String(), "kaleyra mock") {
		t.Errorf("exit %d, log %s", code, errOut.String())
	}
}

// TestServeAgainstMockKaleyra runs the production wiring of `souk serve`
// with a real Kaleyra client pointed at the fake API over a loopback
// socket, as a developer would locally with KALEYRA_BASE_URL.
func TestServeAgainstMockKaleyra(t *testing.T) {
	mock := kaleyratest.Run(t)
	mock.APIKey = "key-e2e"
	vars := map[string]string{"KALEYRA_API_KEY": "key-e2e", "KALEYRA_SID": "SIDE2E", "KALEYRA_NUMBER": "15550000000",
		"KALEYRA_BASE_URL": mock.URL}
	logs := &bottest.Buffer{}
	app := newApp(t, vars, logs, "--flow", pizzeria)
	app.sender.Start()
	defer stopRunner(context.Background(), app.sender, newLogger(io.Discard, nil))
	mock.FailNext(kaleyratest.Failure{Code: "E110"})
	for _, name := range []string{"meta-hi.json", "kaleyra-tap-pizzas.json"} {
		w := httptest.NewRecorder()
		body := restamp(fixture(t, name), time.Now())
		app.server.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/webhook", bytes.NewReader(body)))
		if w.Code != http.StatusOK {
			t.Fatalf("POST %s = %d %s", name, w.Code, w.Body)
		}
	}
	reqs := mock.WaitFor(2, 5*time.Second)
	if len(reqs) != 2 || reqs[0].Code != "E110" || reqs[1].Status != 202 {
		t.Fatalf("mock saw %+v, want the menu refused with E110 then the pizzas accepted\nlog:\n%s", reqs, logs)
	}
	for i, kind := range []string{"list", "product_list"} {
		if v := bottest.ViewOf(reqs[i].Body); v.Kind != kind || reqs[i].Path != "/v2/SIDE2E/whatsapp/15550000000/messages" {
			t.Errorf("request %d: %s %s, want a %s", i, reqs[i].Path, v.Kind, kind)
		}
	}
	if log := logs.String(); !strings.Contains(log, "E110") || strings.Contains(log, "key-e2e") {
		t.Errorf("log should name the E110 failure and never the key:\n%s", log)
	}
}

// TestReplayRunsIdleTimers checks that replay runs, between two recorded
// messages, the idle reminders that fell due, as serve would have, each
// printed before what it sent, so the later message is read in the state
// the last reminder left.
func TestReplayRunsIdleTimers(t *testing.T) {
	flow := filepath.Join(t.TempDir(), "flow.yaml")
	writeFlow(t, flow, `flow: r
start: browse
states:
  browse:
    send: [{text: Our teas}]
    idle: {after: 1h, to: nudge}
  nudge:
    send: [{text: "Still there?"}]
    idle: {after: 1h, to: last}
  last:
    send: [{text: "Last call"}]
    else: code
  code:
    send: [{text: "Here is a code"}]
`)
	msg := recordedText
	start := time.Now().Add(-3 * time.Hour).Unix()
	file := filepath.Join(t.TempDir(), "rec.jsonl")
	if err := os.WriteFile(file, []byte(msg("wamid.r1", start, "hi")+"\n"+msg("wamid.r2", start+9000, "ok")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, map[string]string{"KALEYRA_NUMBER": "15550000000"}, "replay", "--flow", flow, file)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{":1: meta text", "-> browse (start)", ":2: (before) idle timer of 91*******210: browse -> nudge (idle), 1 sent",
		"Still there?", ":2: (before) idle timer of 91*******210: nudge -> last (idle), 1 sent", "Last call", ":2: meta text", "last -> code (else)"} {
		i := strings.Index(out, want)
		if i < 0 {
			t.Fatalf("output lacks %q (in order):\n%s", want, out)
		}
		out = out[i:]
	}
}

// recordedText is a recorded Meta webhook of one text message from the
// shopper, written at Unix time at.
func recordedText(id string, at int64, text string) string {
	return `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp",` +
		`"metadata":{"display_phone_number":"15550000000","phone_number_id":"1"},"contacts":[{"profile":{"name":"Asha"},"wa_id":"919876543210"}],` +
		`"messages":[{"from":"919876543210","id":"` + id + `","timestamp":"` + strconv.FormatInt(at, 10) + `","type":"text","text":{"body":"` + text + `"}}]}}]}]}`
}

// TestReplayGathers checks that souk replay sends on an answer a gather
// held, when nothing more was typed for that long, as a text move.
func TestReplayGathers(t *testing.T) {
	flow := filepath.Join(t.TempDir(), "flow.yaml")
	writeFlow(t, flow, `flow: r
start: ask
states:
  ask:
    send: [{text: "Where to?"}]
    save: address
    gather: 5s
    text: done
  done:
    send: [{text: "To {{.Vars.address}}"}]
    else: ask
`)
	start := time.Now().Add(-time.Hour).Unix()
	lines := []string{recordedText("wamid.g1", start, "hi"), recordedText("wamid.g2", start+10, "12 Baker Street"),
		recordedText("wamid.g3", start+12, "London"), recordedText("wamid.g4", start+60, "thanks")}
	file := filepath.Join(t.TempDir(), "rec.jsonl")
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, map[string]string{"KALEYRA_NUMBER": "15550000000"}, "replay", "--flow", flow, file)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{":2: meta text", ":3: meta text", ":4: (before) idle timer of 91*******210: ask -> done (text), 1 sent",
		"12 Baker Street", "London", ":4: meta text", "done -> ask (else)"} {
		i := strings.Index(out, want)
		if i < 0 {
			t.Fatalf("output lacks %q (in order):\n%s", want, out)
		}
		out = out[i:]
	}
}
