package kaleyra

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

func TestDryRunLogs(t *testing.T) {
	tests := []struct {
		name     string
		cfg      Config
		out      whatsapp.Outbound
		wantPath string
	}{
		{name: "session, empty config", out: sessionOut(), wantPath: "/v2/{SID}/whatsapp/{NUMBER}/messages"},
		{name: "template, empty config", out: templateOut(), wantPath: "/v2/{SID}/whatsapp/{WABA_ID}/messages"},
		{name: "session, configured", cfg: testConfig(""), out: sessionOut(),
			wantPath: "/v2/HXIN1234567890IN/whatsapp/919800000001/messages"},
		{name: "template, configured", cfg: testConfig(""), out: templateOut(),
			wantPath: "/v2/HXIN1234567890IN/whatsapp/104996345678901/messages"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			d := NewDryRun(slog.New(slog.NewJSONHandler(&buf, nil)), tt.cfg)
			res, err := d.Send(context.Background(), tt.out)
			if err != nil || res != (Result{MessageID: "dryrun-1", Status: 202}) {
				t.Fatalf("Send() = %+v, %v, want dryrun-1, 202", res, err)
			}
			rec := decodeRecord(t, buf.Bytes())
			wantBody := maskIn(string(mustRequest(t, tt.out)), tt.out.To)
			if rec["method"] != "POST" || rec["path"] != tt.wantPath || rec["body"] != wantBody {
				t.Errorf("log = %v, want POST %s with body %s", rec, tt.wantPath, wantBody)
			}
			if strings.Contains(buf.String(), tt.out.To) || strings.Contains(buf.String(), testKey) {
				t.Errorf("log holds the shopper's number or the API key: %s", buf.String())
			}
		})
	}
}

// decodeRecord returns the one JSON log record in b.
func decodeRecord(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var rec map[string]any
	if err := json.Unmarshal(b, &rec); err != nil {
		t.Fatalf("log %q: %v", b, err)
	}
	return rec
}

func TestDryRunOnSend(t *testing.T) {
	var got []string
	var mu sync.Mutex
	d := NewDryRun(slog.New(slog.DiscardHandler), Config{})
	d.OnSend = func(method, path string, body []byte) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, method+" "+path+" "+string(body))
	}
	out := templateOut()
	if _, err := d.Send(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	want := "POST /v2/{SID}/whatsapp/{WABA_ID}/messages " + string(mustRequest(t, out))
	if len(got) != 1 || got[0] != want {
		t.Errorf("OnSend saw %q, want [%q]", got, want)
	}
}

func TestDryRunConcurrentIDs(t *testing.T) {
	d := &DryRun{Log: slog.New(slog.DiscardHandler)}
	const n = 50
	ids := make(chan string, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			res, err := d.Send(context.Background(), sessionOut())
			if err != nil {
				t.Error(err)
			}
			ids <- res.MessageID
		})
	}
	wg.Wait()
	close(ids)
	seen := map[string]bool{}
	for id := range ids {
		seen[id] = true
	}
	for i := 1; i <= n; i++ {
		if !seen[fmt.Sprintf("dryrun-%d", i)] {
			t.Errorf("missing id dryrun-%d", i)
		}
	}
}

func TestNewSender(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		want    string
		wantErr bool
	}{
		{name: "no key is a dry run", cfg: Config{}, want: "*kaleyra.DryRun"},
		{name: "key is a client", cfg: testConfig(""), want: "*kaleyra.Client"},
		{name: "bad dry-run config", cfg: Config{Pod: "mars"}, wantErr: true},
		{name: "bad client config", cfg: Config{APIKey: "k"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := NewSender(tt.cfg, slog.New(slog.DiscardHandler))
			if (err != nil) != tt.wantErr || (err == nil && fmt.Sprintf("%T", s) != tt.want) {
				t.Errorf("NewSender() = %T, %v, want %s (error %v)", s, err, tt.want, tt.wantErr)
			}
		})
	}
}
