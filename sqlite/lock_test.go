package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"trustwatch/sqlite"
)

func TestLockDetectors(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	a, b := sqlite.NewDB(path), sqlite.NewDB(path)
	for _, db := range []*sqlite.DB{a, b} {
		if err := db.Open(); err != nil {
			t.Fatal(err)
		}
		defer db.Close()
	}
	unlock, ok, err := a.LockDetectors(ctx)
	if err != nil || !ok {
		t.Fatalf("first lock: ok %v, err %v", ok, err)
	}
	if _, ok, err := b.LockDetectors(ctx); err != nil || ok {
		t.Fatalf("second lock while the first is held: ok %v, err %v; want refused", ok, err)
	}
	unlock()
	unlock2, ok, err := b.LockDetectors(ctx)
	if err != nil || !ok {
		t.Fatalf("lock after unlock: ok %v, err %v", ok, err)
	}
	unlock2()
}
