package kaleyra

import "testing"

func TestMessagesPath(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		waba bool
		want string
	}{
		{name: "session", cfg: testConfig(""), want: "/v2/HXIN1234567890IN/whatsapp/919800000001/messages"},
		{name: "template", cfg: testConfig(""), waba: true, want: "/v2/HXIN1234567890IN/whatsapp/104996345678901/messages"},
		{name: "number without plus", cfg: Config{SID: "S", Number: "919800000001"}, want: "/v2/S/whatsapp/919800000001/messages"},
		{name: "empty session", cfg: Config{}, want: "/v2/{SID}/whatsapp/{NUMBER}/messages"},
		{name: "empty template", cfg: Config{}, waba: true, want: "/v2/{SID}/whatsapp/{WABA_ID}/messages"},
		{name: "SID escaped", cfg: Config{SID: "a/b c", Number: "1"}, want: "/v2/a%2Fb%20c/whatsapp/1/messages"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := messagesPath(tt.cfg, tt.waba); got != tt.want {
				t.Errorf("messagesPath() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMaskPhone(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{name: "E.164", in: "+919812345678", want: "********5678"},
		{name: "short", in: "1234", want: "****"},
		{name: "empty", in: "", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := maskPhone(tt.in); got != tt.want {
				t.Errorf("maskPhone(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
