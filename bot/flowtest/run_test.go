package flowtest

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"path/filepath"
	"testing"

	"github.com/souk-commerce/souk/bot/bottest"
	"github.com/souk-commerce/souk/handlers"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestRunGolden(t *testing.T) {
	tests := []struct {
		name   string
		files  []string
		golden string
		ok     bool
	}{
		{name: "passing inline and sibling tests", files: []string{"testdata/shop.yaml"}, golden: "shop.golden", ok: true},
		{name: "a test file alone", files: []string{"testdata/shop.test.yaml"}, golden: "shop-test-file.golden", ok: true},
		{name: "flow and its test file run each test once", files: []string{"testdata/shop.yaml", "testdata/shop.test.yaml"}, golden: "shop.golden", ok: true},
		{name: "failing tests", files: []string{"testdata/failing.yaml"}, golden: "failing.golden"},
		{name: "reminders past the 24-hour window", files: []string{"testdata/reminders.yaml"}, golden: "reminders.golden", ok: true},
		{name: "a shared location", files: []string{"testdata/location.yaml"}, golden: "location.golden", ok: true},
		{name: "a file sent", files: []string{"testdata/media.yaml"}, golden: "media.golden", ok: true},
		{name: "no tests", files: []string{"testdata/notests.yaml"}, golden: "notests.golden", ok: true},
		{name: "an empty test file", files: []string{"testdata/emptytests.yaml"}, golden: "emptytests.golden", ok: true},
		{name: "a malformed test and an unknown state at once", files: []string{"testdata/botherrors.yaml"}, golden: "botherrors.golden"},
		{name: "malformed tests", files: []string{"testdata/broken.yaml"}, golden: "broken.golden"},
		{name: "unknown states", files: []string{"testdata/refs.yaml"}, golden: "refs.golden"},
		{name: "missing file", files: []string{"testdata/missing.yaml"}, golden: "missing.golden"},
		{name: "a failing handler is named, with its error", files: []string{"testdata/handler.yaml"}, golden: "handler.golden"},
	}
	reg := handlers.NewRegistry()
	reg.Register("pay", handlers.Func(func(context.Context, *handlers.Conversation) error {
		return errors.New("card declined")
	}))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			sum := Run(tt.files, Options{Out: &out, Handlers: reg})
			if sum.OK() != tt.ok {
				t.Errorf("Run(%v).OK() = %v, want %v (%+v)", tt.files, sum.OK(), tt.ok, sum)
			}
			bottest.Golden(t, filepath.Join("testdata", tt.golden), out.Bytes(), *update)
		})
	}
}
