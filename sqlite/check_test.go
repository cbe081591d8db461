package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/sqlite"
)

// A store file damaged on disk is refused on open, so ingest cannot write
// into it and exit 0.
func TestDamagedStoreRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tw.db")
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var items []trustwatch.Item
	t0 := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range 3000 {
		items = append(items, trustwatch.Item{ID: fmt.Sprint(i), Platform: "weibo", Kind: trustwatch.KindPost,
			Text: strings.Repeat("刹车偏软，异响明显。", 5), Time: t0.Add(time.Duration(i) * time.Minute)})
	}
	if _, _, err := db.PutItems(context.Background(), items); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	// A clean file opens.
	db, err = sqlite.Open(path)
	if err != nil {
		t.Fatalf("clean store refused: %v", err)
	}
	db.Close()

	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := f.Stat()
	// Scribble over a run of pages in the middle of the file, as a bad disk or
	// a copy cut short would.
	junk := []byte(strings.Repeat("\xde\xad\xbe\xef", 8192))
	if _, err := f.WriteAt(junk, fi.Size()/2/8192*8192); err != nil {
		t.Fatal(err)
	}
	f.Close()

	db, err = sqlite.Open(path)
	if err == nil {
		db.Close()
		t.Fatal("a damaged store opened")
	}
	if !strings.Contains(err.Error(), "is damaged") || !strings.Contains(err.Error(), "nothing was written") {
		t.Errorf("err %v\nwant it to say the store is damaged and what to do", err)
	}
}
