package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func sign(body, secret string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(body))
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

func TestSignature(t *testing.T) {
	const secret = "app-secret-123"
	body := metaMessage("919876543210", "wamid.sig", textMsg("hi"))
	good := sign(body, secret)
	tests := []struct {
		name   string
		body   string
		header string // "" = no header
		want   int
	}{
		{"missing header", body, "", 401},
		{"empty value", body, " ", 401},
		{"no sha256= prefix", body, strings.TrimPrefix(good, "sha256="), 401},
		{"sha1 prefix", body, "sha1=" + strings.TrimPrefix(good, "sha256="), 401},
		{"not hex", body, "sha256=zz" + good[9:], 401},
		{"truncated", body, good[:len(good)-2], 401},
		{"wrong secret", body, sign(body, "other-secret"), 401},
		{"signature of another body", body, sign(body+" ", secret), 401},
		{"trailing whitespace changed", body + "\n", good, 401},
		{"re-serialised body", strings.ReplaceAll(body, ",", ", "), good, 401},
		{"right secret", body, good, 200},
		{"right secret, upper-case hex", body, "sha256=" + strings.ToUpper(good[7:]), 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, eng, _ := newFakeServer(t, Config{AppSecret: secret})
			var rec *httptest.ResponseRecorder
			if tt.header == "" {
				rec = post(srv, tt.body)
			} else {
				rec = post(srv, tt.body, "X-Hub-Signature-256", tt.header)
			}
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.want, rec.Body)
			}
			if tt.want == 401 {
				if msg := errorBody(t, rec); !strings.Contains(msg, "X-Hub-Signature-256") {
					t.Errorf("error %q does not name the header", msg)
				}
				if n := len(eng.handled()); n != 0 {
					t.Errorf("%d events processed despite 401", n)
				}
			} else if n := len(eng.handled()); n != 1 {
				t.Errorf("%d events processed, want 1", n)
			}
		})
	}
}

func TestToken(t *testing.T) {
	body := metaMessage("919876543210", "wamid.tok", textMsg("hi"))
	tests := []struct {
		name     string
		cfg      Config
		headers  []string
		want     int
		wantName string // header named in the error
	}{
		{"missing", Config{Token: "s3cret"}, nil, 401, "X-Webhook-Token"},
		{"wrong", Config{Token: "s3cret"}, []string{"X-Webhook-Token", "s3cre"}, 401, "X-Webhook-Token"},
		{"longer", Config{Token: "s3cret"}, []string{"X-Webhook-Token", "s3cret2"}, 401, "X-Webhook-Token"},
		{"other header", Config{Token: "s3cret"}, []string{"Authorization", "s3cret"}, 401, "X-Webhook-Token"},
		{"right", Config{Token: "s3cret"}, []string{"X-Webhook-Token", "s3cret"}, 200, ""},
		{"basic right", Config{Token: "Basic dXNlcjpwYXNz", TokenHeader: "Authorization"}, []string{"Authorization", "Basic dXNlcjpwYXNz"}, 200, ""},
		{"basic wrong", Config{Token: "Basic dXNlcjpwYXNz", TokenHeader: "Authorization"}, []string{"Authorization", "Basic dXNlcjpwYXN6"}, 401, "Authorization"},
		{"bearer right", Config{Token: "Bearer abc.def", TokenHeader: "Authorization"}, []string{"Authorization", "Bearer abc.def"}, 200, ""},
		{"bearer without scheme", Config{Token: "Bearer abc.def", TokenHeader: "Authorization"}, []string{"Authorization", "abc.def"}, 401, "Authorization"},
		{"token and secret, token only", Config{Token: "t", AppSecret: "s"}, []string{"X-Webhook-Token", "t"}, 401, "X-Hub-Signature-256"},
		{"token and secret, signature only", Config{Token: "t", AppSecret: "s"}, []string{"X-Hub-Signature-256", sign(body, "s")}, 401, "X-Webhook-Token"},
		{"token and secret, both", Config{Token: "t", AppSecret: "s"}, []string{"X-Webhook-Token", "t", "X-Hub-Signature-256", sign(body, "s")}, 200, ""},
		{"nothing configured", Config{}, nil, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, eng, _ := newFakeServer(t, tt.cfg)
			rec := post(srv, body, tt.headers...)
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.want, rec.Body)
			}
			if tt.want == 401 {
				if msg := errorBody(t, rec); !strings.Contains(msg, tt.wantName) {
					t.Errorf("error %q does not name %s", msg, tt.wantName)
				}
				if n := len(eng.handled()); n != 0 {
					t.Errorf("%d events processed despite 401", n)
				}
			}
		})
	}
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name  string
		token string // configured
		query url.Values
		want  int
		body  string
	}{
		{"right", "vt", url.Values{"hub.mode": {"subscribe"}, "hub.verify_token": {"vt"}, "hub.challenge": {"1158201444"}}, 200, "1158201444"},
		{"wrong token", "vt", url.Values{"hub.mode": {"subscribe"}, "hub.verify_token": {"vx"}, "hub.challenge": {"1"}}, 403, ""},
		{"token prefix", "vt", url.Values{"hub.mode": {"subscribe"}, "hub.verify_token": {"v"}, "hub.challenge": {"1"}}, 403, ""},
		{"missing token", "vt", url.Values{"hub.mode": {"subscribe"}, "hub.challenge": {"1"}}, 403, ""},
		{"wrong mode", "vt", url.Values{"hub.mode": {"unsubscribe"}, "hub.verify_token": {"vt"}, "hub.challenge": {"1"}}, 403, ""},
		{"mode case", "vt", url.Values{"hub.mode": {"Subscribe"}, "hub.verify_token": {"vt"}, "hub.challenge": {"1"}}, 403, ""},
		{"missing mode", "vt", url.Values{"hub.verify_token": {"vt"}, "hub.challenge": {"1"}}, 403, ""},
		{"no token configured", "", url.Values{"hub.mode": {"subscribe"}, "hub.verify_token": {""}, "hub.challenge": {"1"}}, 403, ""},
		{"empty challenge", "vt", url.Values{"hub.mode": {"subscribe"}, "hub.verify_token": {"vt"}}, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _, _ := newFakeServer(t, Config{VerifyToken: tt.token})
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/webhook?"+tt.query.Encode(), nil))
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.want, rec.Body)
			}
			if tt.want == 200 && rec.Body.String() != tt.body {
				t.Errorf("body %q, want %q", rec.Body, tt.body)
			}
			if tt.want == 403 {
				errorBody(t, rec)
			}
		})
	}
}

func TestConfigHidesSecrets(t *testing.T) {
	c := Config{VerifyToken: "vt-SECRET", AppSecret: "as-SECRET", Token: "tk-SECRET", TokenHeader: "Authorization"}
	log, buf := newLogger()
	log.Info("config", "webhook", c)
	for _, s := range []string{c.String(), c.GoString(), buf.String()} {
		if strings.Contains(s, "SECRET") {
			t.Errorf("secret shown: %s", s)
		}
		if !strings.Contains(s, "Authorization") {
			t.Errorf("token header not shown: %s", s)
		}
	}
}

// TestTokenHeaderChecked checks the token header settings New refuses: a
// name no request can carry, and a header with nothing checking webhooks.
func TestTokenHeaderChecked(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string // "" for no error
	}{
		{"not a header name", Config{Token: "t", TokenHeader: "bad header"}, "is not an HTTP header name"},
		{"a header without a token, nothing checked", Config{TokenHeader: "X-Token"}, "would not be checked"},
		{"a header without a token beside a signature", Config{TokenHeader: "X-Token", AppSecret: "s"}, ""},
		{"a header and its token", Config{Token: "t", TokenHeader: "Authorization"}, ""},
	}
	for _, tt := range tests {
		tt.cfg.Engine, tt.cfg.Store = nopEngine{}, okPinger{}
		_, err := New(tt.cfg)
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%s: New = %v, want %q", tt.name, err, tt.want)
		}
	}
}
