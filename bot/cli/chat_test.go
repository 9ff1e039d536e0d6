package cli_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/souk-commerce/souk/bot/bottest"
	"github.com/souk-commerce/souk/bot/cli"
	"github.com/souk-commerce/souk/bot/cli/clitest"
	"github.com/souk-commerce/souk/handlers"
)

var update = flag.Bool("update", false, "rewrite golden files")

func builtins() *handlers.Registry {
	reg := handlers.NewRegistry()
	handlers.RegisterBuiltins(reg)
	return reg
}

func noEnv(string) string { return "" }

// run runs the CLI with stdin and returns its exit code, stdout and stderr.
func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := &cli.Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, Getenv: noEnv, Handlers: builtins()}
	code := cli.Run(context.Background(), env, args)
	return code, out.String(), errOut.String()
}

func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	bottest.Golden(t, path, []byte(got), *update)
}

// TestChatScript drives `souk chat` on the pizzeria with a scripted stdin
// and compares the transcript with a golden file.
func TestChatScript(t *testing.T) {
	script, err := os.ReadFile("testdata/chat/pizzeria.script")
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, string(script), "chat", "../../examples/pizzeria/flow.yaml")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	// Without KALEYRA_NUMBER the one warning is about the catalogue link.
	const warning = "../../examples/pizzeria/flow.yaml:61:9: warning: state catalogue: catalog_link needs the business number: set KALEYRA_NUMBER"
	if !strings.HasPrefix(errOut, warning) || strings.Count(errOut, "\n") != 1 {
		t.Errorf("stderr:\n%s\nwant only the line %q", errOut, warning)
	}
	checkGolden(t, "testdata/chat/pizzeria.golden", out)
}

// TestChatCatalogueNumber checks what a catalogue link reads with and
// without KALEYRA_NUMBER, and that only its absence warns.
func TestChatCatalogueNumber(t *testing.T) {
	tests := []struct {
		name, number, link string
		warns              bool
	}{
		{"no number: a warning and a placeholder that says what to set", "", "https://wa.me/c/KALEYRA_NUMBER-not-set", true},
		{"a number: its link, no warning", "+1 555 010 0100", "https://wa.me/c/15550100100\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			env := &cli.Env{Stdin: strings.NewReader("hi\n/tap catalogue\n"), Stdout: &out, Stderr: &errOut, Handlers: builtins(),
				Getenv: func(k string) string { return map[string]string{"KALEYRA_NUMBER": tt.number}[k] }}
			if code := cli.Run(context.Background(), env, []string{"chat", "../../examples/pizzeria/flow.yaml"}); code != 0 {
				t.Fatalf("exit %d, stderr:\n%s", code, errOut.String())
			}
			if !strings.Contains(out.String(), "Everything we sell: "+tt.link) {
				t.Errorf("output lacks the link %q:\n%s", tt.link, out.String())
			}
			if warned := strings.Contains(errOut.String(), "catalog_link needs the business number"); warned != tt.warns {
				t.Errorf("warned = %v, want %v; stderr:\n%s", warned, tt.warns, errOut.String())
			}
		})
	}
}

func TestChatArguments(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"no file", []string{"chat"}, 2, "usage: souk chat"},
		{"bad phone", []string{"chat", "--phone", "12ab", "../../examples/pizzeria/flow.yaml"}, 2, `--phone "12ab" is not a WhatsApp number`},
		{"short phone", []string{"chat", "--phone", "919999", "../../examples/pizzeria/flow.yaml"}, 2, "want 8 to 15 digits"},
		{"phone with +", []string{"chat", "--phone", "+91 98123 45678", "../../examples/pizzeria/flow.yaml"}, 0, ""},
		{"invalid flow", []string{"chat", "../../flows/testdata/invalid/unknown-state-on.yaml"}, 1, `state "mneu" is not defined`},
		{"missing file", []string{"chat", "nowhere.yaml"}, 1, "cannot read flow"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := run(t, "", tc.args...)
			if code != tc.code || !strings.Contains(errOut, tc.err) {
				t.Errorf("exit %d (want %d), stderr:\n%s\nwant it to contain %q", code, tc.code, errOut, tc.err)
			}
		})
	}
}

// TestChatBusinessNumber checks that chat refuses a KALEYRA_NUMBER that
// serve would refuse, rather than render catalogue links to it.
func TestChatBusinessNumber(t *testing.T) {
	var out, errOut bytes.Buffer
	env := &cli.Env{Stdin: strings.NewReader("hi\n"), Stdout: &out, Stderr: &errOut, Handlers: builtins(),
		Getenv: func(k string) string { return map[string]string{"KALEYRA_NUMBER": "abc"}[k] }}
	code := cli.Run(context.Background(), env, []string{"chat", "../../examples/pizzeria/flow.yaml"})
	if code != 2 || !strings.Contains(errOut.String(), "KALEYRA_NUMBER must be E.164 digits") {
		t.Errorf("exit %d, stderr:\n%s\nwant 2 and what KALEYRA_NUMBER must be", code, errOut.String())
	}
}

func TestChatEndsAtEOF(t *testing.T) {
	code, out, _ := run(t, "hi", "chat", "../../examples/pizzeria/flow.yaml")
	if code != 0 || !strings.Contains(out, "[pizzas] Pizzas") || !strings.HasSuffix(out, "you> \n") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}

// TestChatHandedOff checks that a message held for a person reads as
// held, not as a new conversation.
func TestChatHandedOff(t *testing.T) {
	path := filepath.Join(t.TempDir(), "flow.yaml")
	flow := "flow: f\nstart: a\nstates:\n  a:\n    send: [{text: menu}]\n    on: {human: h}\n  h:\n    run: handoff\n    send: [{text: a person will answer}]\n"
	if err := os.WriteFile(path, []byte(flow), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "hi\nhuman\nhello?\n", "chat", path)
	if code != 0 || !strings.Contains(out, "· ignored (handed off to a person)") || strings.Count(out, "(new conversation)") != 1 {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s\nwant the last message held", code, out, errOut)
	}
}

// TestChatResume checks that /state tells a handoff and /resume ends it,
// listing what the shopper wrote meanwhile, so the bot answers again.
func TestChatResume(t *testing.T) {
	path := filepath.Join(t.TempDir(), "flow.yaml")
	flow := "flow: f\nstart: a\nstates:\n  a:\n    send: [{text: menu}]\n    on: {human: h}\n  h:\n    run: handoff\n    send: [{text: a person will answer}]\n    else: a\n"
	if err := os.WriteFile(path, []byte(flow), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "/resume\nhi\nhuman\nhello?\n/state\n/resume\nhi again\n", "chat", path)
	for _, want := range []string{
		"you> /resume\n· not handed off: nothing to resume\n",
		"state: h\nvars: {}\nhanded off to a person since ",
		"you> /resume\n· resumed: the bot answers again; 1 message(s) held meanwhile\n  text: \"hello?\"\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if code != 0 || !strings.HasSuffix(out, "│ menu\n└\nyou> \n") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s\nwant the menu after the resume", code, out, errOut)
	}
}

// TestChatWait checks that /wait lets time pass in the chat: the flow's
// idle reminders run at their own times on the way, a chain of them too,
// each printed before what it sent, and the state moves with them.
func TestChatWait(t *testing.T) {
	flow := clitest.WriteFlow(t, `flow: c
start: browse
states:
  browse:
    send: [{text: Our teas}]
    idle: {after: 1h, to: nudge}
  nudge:
    send: [{text: "Still there?"}]
    idle: {after: 2h, to: last}
  last:
    send: [{text: Last call}]
`)
	code, out, errOut := run(t, "hi\n/wait 59m\n/wait 2h\n/state\n/wait 2h\n/state\n/wait soon\n", "chat", flow)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	for _, want := range []string{
		"you> /wait 59m\n(59m later)\n",
		"· browse → nudge (idle)\n┌ text\n│ Still there?\n└\n(2h later)\n",
		"state: nudge\n",
		"· nudge → last (idle)\n┌ text\n│ Last call\n└\n(2h later)\n",
		"state: last\n",
		"usage: /wait DURATION",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("transcript lacks %q:\n%s", want, out)
		}
	}
	_, out, _ = run(t, "hi\n/wait 4h\n", "chat", flow)
	want := "· browse → nudge (idle)\n┌ text\n│ Still there?\n└\n· nudge → last (idle)\n┌ text\n│ Last call\n└\n(4h later)\n"
	if !strings.Contains(out, want) {
		t.Errorf("one /wait through both reminders: transcript lacks %q:\n%s", want, out)
	}
}

// TestChatLocation checks that /location shares a pin the flow's
// location route takes, with its address for the templates, and that a
// malformed one is refused with its usage.
func TestChatLocation(t *testing.T) {
	flow := clitest.WriteFlow(t, `flow: c
start: ask
states:
  ask:
    send: [{text: "Where to?"}]
    location: done
  done:
    send: [{text: "To {{.Location.Address}} at {{.Location.Latitude}},{{.Location.Longitude}}"}]
`)
	code, out, errOut := run(t, "hi\n/location 91,0\n/location -33.8688, 151.2093 1 Macquarie St, Sydney\n/state\n", "chat", flow)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	for _, want := range []string{
		"usage: /location LAT,LONG [ADDRESS]",
		"· ask → done (location)\n┌ text\n│ To 1 Macquarie St, Sydney at -33.8688,151.2093\n└\n",
		"location: -33.8688,151.2093 1 Macquarie St, Sydney\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("transcript lacks %q:\n%s", want, out)
		}
	}
}

// TestChatMedia checks that /media sends a file of a type the flow's
// media route takes, with its caption for the templates, and that an
// unknown type is refused with its usage.
func TestChatMedia(t *testing.T) {
	flow := clitest.WriteFlow(t, `flow: c
start: ask
states:
  ask:
    send: [{text: "A photo of the receipt, please"}]
    media: done
  done:
    send: [{text: "Got the {{.Media.Type}} ({{.Media.MimeType}}): {{.Media.Caption}}"}]
`)
	code, out, errOut := run(t, "hi\n/media sticker\n/media Image\tpaid by UPI\n/state\n", "chat", flow)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	for _, want := range []string{
		"usage: /media image|video|audio|document [CAPTION]",
		"· ask → done (media)\n┌ text\n│ Got the image (image/jpeg): paid by UPI\n└\n",
		"media: image with caption \"paid by UPI\"\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("transcript lacks %q:\n%s", want, out)
		}
	}
}

// TestChatGather checks that souk chat says when typed text is held by a
// state's gather, keeps the buttons offered before it, and sends the
// answer on with /wait.
func TestChatGather(t *testing.T) {
	flow := clitest.WriteFlow(t, `flow: c
start: ask
states:
  ask:
    send:
      - buttons:
          body: Where to?
          buttons: [{id: pickup, title: Pick up}]
    save: address
    gather: 5s
    text: done
    on: {pickup: done}
  done:
    send: [{text: "To {{.Vars.address}}"}]
`)
	code, out, errOut := run(t, "hi\n12 Baker Street\nLondon\n/wait 5s\n", "chat", flow)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	for _, want := range []string{
		"you> 12 Baker Street\n· ask: held as part of the answer, which goes on once nothing more is typed for 5s (/wait 5s)\nyou> London\n",
		"· ask → done (text)\n┌ text\n│ To 12 Baker Street\n│ London\n└\n(5s later)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("transcript lacks %q:\n%s", want, out)
		}
	}
	_, out, _ = run(t, "hi\nBaker Street\n/tap pickup\n", "chat", flow)
	if strings.Contains(out, "was not offered") || !strings.Contains(out, "· ask → done (on)") {
		t.Errorf("the held answer forgot the offered button:\n%s", out)
	}
}

// TestChatStaleTap checks that souk chat taps an id the last replies did
// not offer on the older message that did, so that with stale_taps:
// ignore a second tap on a menu is ignored, and without it routed.
func TestChatStaleTap(t *testing.T) {
	src := `flow: c
start: menu
%s
states:
  menu:
    send:
      - list: {body: Pick, button: Menu, sections: [{rows: [{id: pizzas, title: Pizzas}]}]}
    on: {pizzas: pizzas}
  pizzas:
    send: [{buttons: {body: Which, buttons: [{id: back, title: Back}]}}]
    on: {back: menu}
`
	for policy, want := range map[string]string{
		"stale_taps: ignore": "(pizzas was offered by an earlier message; tapping it there)\n· ignored (a tap repeating one already taken; stale_taps: ignore)\n",
		"":                   "(pizzas was offered by an earlier message; tapping it there)\n· pizzas → pizzas (reenter)\n",
	} {
		flow := clitest.WriteFlow(t, fmt.Sprintf(src, policy))
		code, out, errOut := run(t, "hi\n/tap pizzas\n/tap pizzas\n", "chat", flow)
		if code != 0 {
			t.Fatalf("exit %d, stderr:\n%s", code, errOut)
		}
		if !strings.Contains(out, "you> /tap pizzas\n"+want) {
			t.Errorf("%q: transcript lacks %q:\n%s", policy, want, out)
		}
	}
}
