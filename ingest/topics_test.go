package ingest_test

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"trustwatch"
	"trustwatch/ingest"
)

// watchTopics is watchV2 with four topics. By hand, over retagItems:
//
//	brakes   刹车 OR 续航             a2 (刹车), a3 (续航)
//	yu7-due  entity:yu7 交付          a4 (a6 names YU7 but says nothing of delivery)
//	seats    aspect:seats -entity:leijun  a4 (a6 has seats too, but names 雷军)
//	weather  天气, named 小米          a5 only: a topic's name is no mention
var watchTopics = &trustwatch.Watch{
	Entities: append(slices.Clone(watchV2.Entities),
		trustwatch.Entity{ID: "brakes", Kind: trustwatch.EntityTopic, Name: "刹车续航", Query: "刹车 OR 续航"},
		trustwatch.Entity{ID: "yu7-due", Kind: trustwatch.EntityTopic, Name: "YU7交付", Query: "entity:yu7 交付"},
		trustwatch.Entity{ID: "seats", Kind: trustwatch.EntityTopic, Name: "座椅", Query: "aspect:seats -entity:leijun"},
		trustwatch.Entity{ID: "weather", Kind: trustwatch.EntityTopic, Name: "小米", Query: "天气"},
	),
	Aspects: watchV2.Aspects,
}

var wantTopicItems = map[string][]string{"brakes": {"a2", "a3"}, "yu7-due": {"a4"}, "seats": {"a4"}, "weather": {"a5"}}

// topicItems returns, per topic, the items FindItems gives for entity=topic
// and their count in the day rollup.
func topicItems(t *testing.T, db interface {
	trustwatch.ItemStore
	trustwatch.SeriesStore
}) (map[string][]string, map[string]int64) {
	t.Helper()
	ctx := context.Background()
	items, counts := map[string][]string{}, map[string]int64{}
	for id := range wantTopicItems {
		its, _, err := db.FindItems(ctx, trustwatch.ItemFilter{Entity: id, Order: "time_asc"})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range its {
			items[id] = append(items[id], it.ID)
		}
		pts, err := db.Volume(ctx, trustwatch.VolumeFilter{Entity: id, By: trustwatch.Day})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pts {
			counts[id] += p.Count
		}
	}
	return items, counts
}

func TestTopicsAtIngest(t *testing.T) {
	db := ingestUnder(t, watchTopics)
	items, counts := topicItems(t, db)
	if !reflect.DeepEqual(items, wantTopicItems) {
		t.Errorf("topic items = %v, want %v", items, wantTopicItems)
	}
	for id, want := range wantTopicItems {
		if counts[id] != int64(len(want)) {
			t.Errorf("volume of %s = %d, want %d", id, counts[id], len(want))
		}
	}
	// Topics come after the entities the text names.
	if got := entitiesByItem(t, db)["a4"]; !reflect.DeepEqual(got, []string{"xiaomi", "yu7", "yu7-due", "seats"}) {
		t.Errorf("a4 entities = %q", got)
	}
}

func TestRetagAddsAndDropsTopics(t *testing.T) {
	ctx := context.Background()
	db := ingestUnder(t, watchV2)
	if items, _ := topicItems(t, db); len(items) != 0 {
		t.Fatalf("before the topics exist: %v", items)
	}
	sum, err := (&ingest.Retagger{Store: db, Analyzer: analyzerFor(t, watchTopics)}).Retag(ctx)
	if err != nil {
		t.Fatal(err)
	}
	items, counts := topicItems(t, db)
	if !reflect.DeepEqual(items, wantTopicItems) {
		t.Errorf("after adding the topics and retag: %v, want %v", items, wantTopicItems)
	}
	if counts["brakes"] != 2 || counts["weather"] != 1 {
		t.Errorf("topic volumes = %v", counts)
	}
	// a2, a3, a4, a5 gained topics.
	if sum.EntitiesChanged != 4 {
		t.Errorf("entities changed = %d, want 4", sum.EntitiesChanged)
	}
	if i := slices.IndexFunc(sum.Entities, func(c ingest.EntityCount) bool { return c.Entity == "brakes" }); i < 0 || sum.Entities[i] != (ingest.EntityCount{Entity: "brakes", After: 2}) {
		t.Errorf("summary = %+v", sum.Entities)
	}
	again, err := (&ingest.Retagger{Store: db, Analyzer: analyzerFor(t, watchTopics)}).Retag(ctx)
	if err != nil || again.Changed != 0 {
		t.Errorf("second retag changed %d (%v), want 0", again.Changed, err)
	}
	// Removing the topics and retagging untags the items.
	if _, err := (&ingest.Retagger{Store: db, Analyzer: analyzerFor(t, watchV2)}).Retag(ctx); err != nil {
		t.Fatal(err)
	}
	if items, counts := topicItems(t, db); len(items) != 0 || counts["brakes"] != 0 {
		t.Errorf("after removing the topics: %v %v", items, counts)
	}
}
