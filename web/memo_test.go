package web

import (
	"context"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/sqlite"
)

func TestRememberUntilItemsChange(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := &Server{Store: db}
	calls := 0
	get := func() int {
		v, err := remember(ctx, s, "k", func() (int, error) { calls++; return calls, nil })
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	put := func(id string) {
		it := trustwatch.Item{ID: id, Platform: "weibo", Kind: trustwatch.KindPost, Text: "刹车", Time: time.Unix(1740841800, 0)}
		if _, _, err := db.PutItems(ctx, []trustwatch.Item{it}); err != nil {
			t.Fatal(err)
		}
	}
	put("a")
	if a, b := get(), get(); a != 1 || b != 1 {
		t.Fatalf("computed %d then %d times, want once", a, b)
	}
	put("b") // new data: computed again
	if c := get(); c != 2 {
		t.Errorf("after a new item: value %d, want a fresh computation (2)", c)
	}
	put("b") // a duplicate changes nothing
	if d := get(); d != 2 {
		t.Errorf("after a duplicate: value %d, want the remembered 2", d)
	}
}
