package sqlite

import (
	"context"
	"slices"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/query"
)

// TestQueryCond runs hand-built queries (no parser involved) against four
// items, to check the FTS5 expressions and conditions the AST becomes.
func TestQueryCond(t *testing.T) {
	ctx := context.Background()
	db := openMemory(t)
	at := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	items := []trustwatch.Item{
		{ID: "t1", Text: "小米SU7刹车异响", Time: at, Likes: 5, Lang: "zh-Hans", Tags: []string{"汽车"}},
		{ID: "t2", Text: "刹车 偏软，但是 外观 好看", Time: at.Add(time.Minute), Likes: 50, Keyword: "SU7"},
		{ID: "t3", Text: "外观好看", Time: at.Add(2 * time.Minute), Lang: "en"},
		{ID: "t4", Text: "!!!", Time: at.Add(3 * time.Minute)},
	}
	if _, _, err := db.PutItems(ctx, items); err != nil {
		t.Fatal(err)
	}
	text := func(s string) *query.Text { return query.PhraseUnits(s) }
	tests := []struct {
		name string
		n    query.Node
		want []string
	}{
		{"word", text("刹车"), []string{"t1", "t2"}},
		{"prefix character", text("车"), []string{"t1", "t2"}},
		{"phrase across a space", text("刹车偏软"), []string{"t2"}},
		{"not a phrase", text("刹车好看"), nil},
		{"and not", &query.And{Nodes: []query.Node{text("刹车"), &query.Not{Node: text("su7")}}}, []string{"t2"}},
		{"pure negative", &query.Not{Node: text("刹车")}, []string{"t3", "t4"}},
		{"two negatives", &query.And{Nodes: []query.Node{&query.Not{Node: text("刹车")}, &query.Not{Node: text("外观")}}}, []string{"t4"}},
		{"or with a negative", &query.Or{Nodes: []query.Node{text("异响"), &query.Not{Node: text("外观")}}}, []string{"t1", "t4"}},
		// 外观好看 is 外观 观好 好看 看: one unit between the words.
		{"near 1 either order", &query.Near{Left: text("好看"), Right: text("外观"), N: 1}, []string{"t2", "t3"}},
		{"near 0", &query.Near{Left: text("好看"), Right: text("外观"), N: 0}, nil},
		// t2: 刹车 车偏 偏软 软 但是 是外 外观 观好 好看: seven units between.
		{"near 6 is too far", &query.Near{Left: text("刹车"), Right: text("好看"), N: 6}, nil},
		{"near 7", &query.Near{Left: text("刹车"), Right: text("好看"), N: 7}, []string{"t2"}},
		{"near prefix", &query.Near{Left: text("su7"), Right: text("异"), N: 2}, []string{"t1"}},
		{"count", &query.Field{Name: "likes", Op: ">=", Value: "50"}, []string{"t2"}},
		{"text or field", &query.Or{Nodes: []query.Node{text("异响"), &query.Field{Name: "likes", Op: ">", Value: "10"}}}, []string{"t1", "t2"}},
		{"not field", &query.And{Nodes: []query.Node{text("外观"), &query.Not{Node: &query.Field{Name: "keyword", Op: "=", Value: "su7"}}}}, []string{"t3"}}, // values arrive lower-cased from the parser
		{"lang subtag", &query.Field{Name: "lang", Op: "=", Value: "ZH"}, []string{"t1"}},
		{"lang is not a string prefix", &query.Field{Name: "lang", Op: "=", Value: "zh-h"}, nil},
		{"tag", &query.Field{Name: "tag", Op: "=", Value: "汽车"}, []string{"t1"}},
		{"empty text", &query.Text{}, nil},
	}
	for _, tt := range tests {
		var args []any
		cond, err := queryCond(tt.n, &args)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		tx, err := db.beginRead(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		err = queryItems(ctx, tx, " WHERE "+cond, args, orderStored, 0, 0, func(it *trustwatch.Item) error {
			got = append(got, it.ID)
			return nil
		})
		tx.Rollback()
		if err != nil {
			t.Errorf("%s: %s %q: %v", tt.name, cond, args, err)
		} else if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %s %q found %q; want %q", tt.name, cond, args, got, tt.want)
		}
	}
}
