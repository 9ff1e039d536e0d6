// Package fuzzseed seeds fuzz targets from files: each file matching a
// pattern becomes one seed input. It is for tests only.
package fuzzseed

import (
	"os"
	"path/filepath"
	"testing"
)

// AddFiles adds the content of every file matching pattern (see
// filepath.Glob) to f's seed corpus; it fails f when none matches, so that
// a moved directory does not leave a target unseeded.
func AddFiles(f *testing.F, pattern string) {
	f.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		f.Fatalf("no seed files match %s: %v", pattern, err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}
