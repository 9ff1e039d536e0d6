package kaleyra

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestConfigHidesAPIKey(t *testing.T) {
	cfg := testConfig("http://127.0.0.1:9000")
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("config", "kaleyra", cfg)
	outputs := []string{buf.String(), fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg),
		fmt.Sprintf("%v", &cfg)}
	for _, s := range outputs {
		if strings.Contains(s, testKey) || strings.Contains(s, "919800000001") {
			t.Errorf("output holds the API key or the full number: %s", s)
		}
		if !strings.Contains(s, "HXIN1234567890IN") {
			t.Errorf("output lacks the SID: %s", s)
		}
	}
}
