package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNewLeavesNothingWhenAWriteFails checks that souk new removes what it
// wrote, the file cut short included, and the directories it made, so
// that running it again works.
func TestNewLeavesNothingWhenAWriteFails(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "a", "b")
	writes := 0
	failThird := func(path, content string) error {
		if writes++; writes < 3 {
			return writeNewFile(path, content)
		}
		if err := os.WriteFile(path, []byte(content[:len(content)/2]), 0o644); err != nil {
			t.Fatal(err)
		}
		return errors.New("file too large")
	}
	if _, err := writeScaffold(dir, "shop", failThird); err == nil || !strings.Contains(err.Error(), "file too large") {
		t.Fatalf("writeScaffold = %v, want the write's error", err)
	}
	if entries, _ := os.ReadDir(base); len(entries) != 0 {
		t.Fatalf("left behind in %s: %v", base, entries)
	}
	if paths, err := writeScaffold(dir, "shop", writeNewFile); err != nil || len(paths) != 4 {
		t.Fatalf("writing again = %v, %v; want the 4 files", paths, err)
	}
}
