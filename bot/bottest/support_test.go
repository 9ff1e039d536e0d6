package bottest_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/bottest"
	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/handlers"
)

// fakeTB records failures instead of ending the test.
type fakeTB struct {
	testing.TB
	failures []string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.failures = append(f.failures, fmt.Sprintf(format, args...))
}
func (f *fakeTB) Errorf(format string, args ...any) {
	f.failures = append(f.failures, fmt.Sprintf(format, args...))
}

func TestEventually(t *testing.T) {
	tests := []struct {
		name     string
		after    int // cond holds from this call on; -1 never
		within   time.Duration
		wantFail bool
	}{
		{name: "holds at once", after: 1, within: 10 * time.Second},
		// A generous deadline: on a loaded machine each 5 ms poll may
		// take far longer, and only the number of calls matters here.
		{name: "holds later", after: 5, within: 10 * time.Second},
		{name: "never holds", after: -1, within: 200 * time.Millisecond, wantFail: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, calls := &fakeTB{}, 0
			bottest.Eventually(f, "the thing", tt.within, func() bool {
				calls++
				return tt.after > 0 && calls >= tt.after
			})
			if failed := len(f.failures) > 0; failed != tt.wantFail {
				t.Fatalf("failures %q after %d calls, want failed = %v", f.failures, calls, tt.wantFail)
			}
			if tt.wantFail && !strings.Contains(f.failures[0], "waiting for the thing") {
				t.Errorf("failure %q does not name the condition", f.failures[0])
			}
		})
	}
}

func TestBufferAndDispatcher(t *testing.T) {
	var buf bottest.Buffer
	var d bottest.Dispatcher
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			fmt.Fprintf(&buf, "line %d\n", i)
			_ = d.Dispatch(context.Background(), []whatsapp.Outbound{{ID: fmt.Sprint(i)}, {ID: "x"}})
		})
	}
	wg.Wait()
	if n := strings.Count(buf.String(), "\n"); n != 20 {
		t.Errorf("buffer holds %d lines, want 20", n)
	}
	if d.Len() != 40 {
		t.Errorf("Len = %d, want 40", d.Len())
	}
	if got := d.Take(); len(got) != 40 || d.Len() != 0 {
		t.Errorf("Take = %d messages, then Len %d; want 40, then 0", len(got), d.Len())
	}
	buf.Reset()
	if buf.String() != "" {
		t.Errorf("after Reset: %q", buf.String())
	}
}

func TestGolden(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.golden")
	if err := os.WriteFile(path, []byte("want\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		path     string
		got      string
		update   bool
		wantOK   bool
		wantFile string
	}{
		{name: "same", path: path, got: "want\n", wantOK: true, wantFile: "want\n"},
		{name: "differs", path: path, got: "other\n", wantFile: "want\n"},
		{name: "missing file", path: filepath.Join(dir, "none.golden"), got: "x"},
		{name: "update rewrites", path: path, got: "new\n", update: true, wantOK: true, wantFile: "new\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeTB{}
			ok := bottest.Golden(f, tt.path, []byte(tt.got), tt.update)
			if ok != tt.wantOK || (len(f.failures) == 0) != tt.wantOK {
				t.Fatalf("Golden = %v with failures %q, want %v", ok, f.failures, tt.wantOK)
			}
			if tt.wantFile != "" {
				if b, _ := os.ReadFile(tt.path); string(b) != tt.wantFile {
					t.Errorf("file holds %q, want %q", b, tt.wantFile)
				}
			}
		})
	}
}

// TestAssertionsNameAFailedHandler checks that AssertSent and AssertKinds
// say which handler failed and why when a step got the error text instead
// of what the test wanted.
func TestAssertionsNameAFailedHandler(t *testing.T) {
	reg := handlers.NewRegistry()
	reg.Register("count_order", handlers.Func(func(context.Context, *handlers.Conversation) error {
		return errors.New("till offline")
	}))
	b, err := bottest.New(mustFlow(), bottest.Config{Handlers: reg})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	sh := b.Shopper("", "Asha")
	sh.Text("hi")
	sh.Tap("tea")
	r := sh.Cart(whatsapp.OrderItem{ID: "tea-green", Quantity: 1, Price: 3, Currency: "EUR"})
	f := &fakeTB{}
	bottest.AssertSent(f, r, bottest.Want{Kind: "text", Body: "Thanks Asha!"})
	bottest.AssertKinds(f, r, "text", "text")
	if len(f.failures) != 2 {
		t.Fatalf("failures %q, want two", f.failures)
	}
	for _, msg := range f.failures {
		if !strings.Contains(msg, `handler "count_order" failed`) || !strings.Contains(msg, "till offline") {
			t.Errorf("failure %q does not name the handler and its error", msg)
		}
	}
}

// TestHandlerNoteCountsDropped checks that the note on a step names the
// messages dropped for breaking a limit, beside a failed handler.
func TestHandlerNoteCountsDropped(t *testing.T) {
	r := bottest.Reply{Result: bot.Result{Dropped: 2, HandlerFailed: "pay", HandlerError: `handler "pay": card declined`}}
	note := r.HandlerNote()
	for _, want := range []string{`handler "pay" failed`, ": card declined", "2 message(s) not sent"} {
		if !strings.Contains(note, want) {
			t.Errorf("note %q lacks %q", note, want)
		}
	}
	if strings.Count(note, `handler "pay"`) != 1 {
		t.Errorf("note %q names the handler more than once", note)
	}
	if n := (bottest.Reply{}).HandlerNote(); n != "" {
		t.Errorf("a clean step's note is %q", n)
	}
}
