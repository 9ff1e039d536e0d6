package kaleyra

import (
	"context"
	"errors"
	"testing"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

// fakeSender answers every Send with res and err.
type fakeSender struct {
	res Result
	err error
}

func (f fakeSender) Send(context.Context, whatsapp.Outbound) (Result, error) { return f.res, f.err }

func TestObserved(t *testing.T) {
	tests := []struct {
		name     string
		inner    fakeSender
		out      whatsapp.Outbound
		wantSeen bool
		wantPath string
	}{
		{name: "accepted session message", inner: fakeSender{res: Result{MessageID: "m1", Status: 202}},
			out: sessionOut(), wantSeen: true, wantPath: "/v2/HXIN1234567890IN/whatsapp/919800000001/messages"},
		{name: "accepted template", inner: fakeSender{res: Result{MessageID: "m2", Status: 202}},
			out: templateOut(), wantSeen: true, wantPath: "/v2/HXIN1234567890IN/whatsapp/104996345678901/messages"},
		{name: "refused message is not shown", inner: fakeSender{err: errors.New("WA400")}, out: sessionOut()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var seen bool
			var path string
			var body []byte
			o := Observed{Sender: tt.inner, Config: testConfig(""), OnSend: func(_, p string, b []byte) {
				seen, path, body = true, p, append([]byte(nil), b...)
			}}
			res, err := o.Send(context.Background(), tt.out)
			if res != tt.inner.res || !errors.Is(err, tt.inner.err) {
				t.Errorf("Send() = %+v, %v; want the inner sender's %+v, %v", res, err, tt.inner.res, tt.inner.err)
			}
			if seen != tt.wantSeen || path != tt.wantPath {
				t.Fatalf("OnSend seen=%v path=%q, want %v %q", seen, path, tt.wantSeen, tt.wantPath)
			}
			if seen && string(body) != string(mustRequest(t, tt.out)) {
				t.Errorf("OnSend body = %s, want the exact request body", body)
			}
		})
	}
}
