package bot

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/souk-commerce/souk/bot/whatsapp"
	"github.com/souk-commerce/souk/store"
)

// statusStub answers RecordStatus with applied.
type statusStub struct{ applied bool }

func (s statusStub) RecordStatus(context.Context, whatsapp.Event) (bool, error) {
	return s.applied, nil
}

func TestStatusCallbacksMoveNothing(t *testing.T) {
	ev := whatsapp.Event{Kind: whatsapp.KindStatus, From: "919876543210",
		Status: &whatsapp.Status{MessageID: "wamid.OUT", Status: "delivered"}}
	tests := []struct {
		name       string
		statuses   StatusRecorder
		wantStatus string
		wantIgnore string
	}{
		{"recorded", statusStub{applied: true}, "delivered of wamid.OUT", ""},
		{"unknown or older", statusStub{applied: false}, "", "unknown message or older status"},
		{"not tracked", nil, "", "statuses are not tracked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, _, err := store.OpenEmbedded(store.Config{})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			rec := &recorder{}
			eng, err := New(Config{Flow: mustFlow(t, ruleFlow), Store: st, Dispatcher: rec, Statuses: tt.statuses, Handlers: builtins(),
				Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
			if err != nil {
				t.Fatal(err)
			}
			res, err := eng.Handle(context.Background(), ev)
			if err != nil || res.Status != tt.wantStatus || !strings.Contains(res.Ignored, tt.wantIgnore) || (tt.wantIgnore == "") != (res.Ignored == "") {
				t.Fatalf("Handle = %+v, %v", res, err)
			}
			if c, _ := st.Load(context.Background(), ev.From); c.Exists() || len(rec.take()) > 0 {
				t.Fatal("a status callback moved a conversation or sent something")
			}
		})
	}
}
