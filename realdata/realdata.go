// Package realdata finds the public corpora that tests, evaluations and
// benchmarks use: ../shared/data beside the repository (see its README for
// provenance and terms). Nothing of it is committed; a test that needs a
// file skips with a message naming it when it is absent, so `go test ./...`
// passes on a fresh clone.
//
// Only tests import this package; it must not be used by the binary.
package realdata

import (
	"os"
	"path/filepath"
	"testing"
)

// Env names an environment variable that overrides where the data is.
const Env = "TRUSTWATCH_DATA"

// Dir returns the data directory, or "" when it cannot be found.
func Dir() string {
	if d := os.Getenv(Env); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "data")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Path returns the path of rel inside the data directory, or skips the
// test with a message naming it when it is absent.
func Path(tb testing.TB, rel string) string {
	tb.Helper()
	dir := Dir()
	if dir == "" {
		tb.Skipf("real data %s: no module root above the test, and %s is not set", rel, Env)
	}
	p := filepath.Join(dir, rel)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("real data %s is absent (see ../shared/data/README.md; or set %s): %v", rel, Env, err)
	}
	return p
}
