package ledger_test

import (
	"context"
	"slices"
	"testing"

	"trustwatch"
	"trustwatch/detect/ledger"
	"trustwatch/sqlite"
)

// TestSQLiteStore runs the store-facing functions over the real SQLite
// store: items stored first, claims read afterwards, nothing in between.
func TestSQLiteStore(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	items := []trustwatch.Item{
		item("x1", "2025-09-01", "SU7 Ultra的机盖风道就是个摆设", 10, "su7u", "mi"),
		item("x2", "2025-09-02", "挖孔机盖的风道是虚假宣传，退一赔三", 0, "mi"),
		item("x3", "2025-09-03", "说好的风道呢？SU7 Ultra车主都在维权", 3, "su7u", "mi"),
		item("x4", "2025-09-03", "YU7的机盖风道是虚假宣传", 3, "yu7", "mi"),
		// Linked to nothing at ingest (the hood was not watched yet): found
		// through the word index.
		item("x5", "2025-09-04", "挖孔机盖 风道 名不副实", 0),
		item("r1", "2025-09-14", "台上是朋友，台下是法务，小米起诉用户", 0, "mi"),
	}
	items[4].Tokens = []string{"挖孔机盖", "风道", "名不副实"}
	if _, _, err := db.PutItems(ctx, items); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.PutEvents(ctx, []trustwatch.Event{
		{ID: "ev1", Time: day("2025-09-13"), Entity: "mi", Kind: trustwatch.EventLawsuit, Title: "小米起诉用户"},
	}); err != nil {
		t.Fatal(err)
	}
	w := testWatch()
	ev, err := ledger.Evidence(ctx, db, w, "hood-ducts")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"x1:contradicts", "x2:contradicts", "x3:contradicts", "x5:contradicts"}
	if got := ids(ev); !slices.Equal(got, want) {
		t.Fatalf("evidence = %v, want %v", got, want)
	}
	rows, err := ledger.Ledger(ctx, db, w, day("2025-10-01"), "hood")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Status != ledger.StatusDefaulted || rows[0].EvidenceCount != 4 {
		t.Fatalf("rows = %+v, want the hood claim defaulted on 4 items", rows)
	}
	dets, err := ledger.Detect(ctx, db, db, w, day("2025-10-01"))
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, d := range dets {
		kinds = append(kinds, d.Kind+":"+d.Subject)
	}
	if !slices.Equal(kinds, []string{"claim.default:hood-ducts", "saydo.gap:friends"}) {
		t.Fatalf("detections = %v", kinds)
	}
}
