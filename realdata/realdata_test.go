package realdata_test

import (
	"os"
	"path/filepath"
	"testing"

	"trustwatch/realdata"
)

func TestPathSkipsWhenAbsent(t *testing.T) {
	var reached bool
	t.Run("absent", func(t *testing.T) {
		realdata.Path(t, "no/such/file.csv")
		reached = true
	})
	if reached {
		t.Error("Path returned for a missing file instead of skipping")
	}
}

func TestDirFollowsEnv(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "x.csv"), []byte("a\n"), 0o644)
	t.Setenv(realdata.Env, dir)
	if got := realdata.Path(t, "x.csv"); got != filepath.Join(dir, "x.csv") {
		t.Errorf("Path = %q", got)
	}
}
