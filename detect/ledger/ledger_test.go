package ledger_test

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/detect/ledger"
)

var loc = trustwatch.DefaultLocation()

func day(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t, err = time.ParseInLocation("2006-01-02", s, loc)
	}
	if err != nil {
		panic(err)
	}
	return t
}

func date(s string) trustwatch.Date { return trustwatch.Date{Time: day(s)} }

// testWatch: a brand with two car models, and the hood option of one of
// them modelled as a product of its own.
func testWatch() *trustwatch.Watch {
	return &trustwatch.Watch{
		Entities: []trustwatch.Entity{
			{ID: "mi", Kind: trustwatch.EntityBrand, Name: "小米", Aliases: []string{"小米汽车"}},
			{ID: "su7u", Kind: trustwatch.EntityProduct, Name: "SU7 Ultra", Aliases: []string{"SU7U"}, Parent: "mi"},
			{ID: "su7", Kind: trustwatch.EntityProduct, Name: "SU7", Parent: "mi"},
			{ID: "yu7", Kind: trustwatch.EntityProduct, Name: "YU7", Parent: "mi"},
			{ID: "hood", Kind: trustwatch.EntityProduct, Name: "挖孔机盖", Aliases: []string{"双风道前舱盖"}, Parent: "su7u"},
		},
		Claims: []trustwatch.Claim{
			{ID: "hood-ducts", Entity: "hood", Text: "碳纤维双风道前舱盖，源自原型车的赛道黑科技", Date: date("2025-02-27"),
				Kind: "performance", Subject: []string{"风道", "机盖", "前舱盖"}, DeliveryDate: date("2025-03-01")},
			{ID: "su7-range", Entity: "su7", Text: "SU7续航最高可达800km", Date: date("2024-03-28"), Kind: "performance",
				Subject: []string{"续航"}},
		},
		Values: []trustwatch.Value{
			{ID: "friends", Entity: "mi", Text: "和用户做朋友", Date: date("2020-01-01"), Words: []string{"朋友"}},
		},
	}
}

func item(id, at, text string, likes int64, ents ...string) trustwatch.Item {
	return trustwatch.Item{ID: id, Time: day(at), Text: text, Likes: likes, Entities: ents}
}

func ids(ev []ledger.EvidenceItem) []string {
	var out []string
	for _, e := range ev {
		out = append(out, e.ItemID+":"+string(e.Stance))
	}
	return out
}

func TestCollect(t *testing.T) {
	w := testWatch()
	items := []trustwatch.Item{
		item("before", "2025-02-20", "小米挖孔机盖是虚假宣传", 0),                        // before the claim: no evidence
		item("court", "2026-05-13", "小米挖孔机盖案法院认定存夸大宣传", 0),                    // names the hood
		item("court2", "2026-05-14 09:00", "#小米挖孔机盖案法院认定存夸大宣传#", 99),          // same headline next day: counted once
		item("parent", "2025-05-10", "SU7 Ultra的机盖风道就是个摆设", 0),                // names the car the hood belongs to
		item("sibling", "2025-05-11", "小米YU7的机盖风道是虚假宣传", 0),                   // another model: not evidence
		item("su7-not-ultra", "2025-05-12", "SU7机盖风道是真的有用，很好", 0),             // SU7 is a sibling of SU7 Ultra
		item("brand-only", "2025-05-12", "小米的机盖风道是假的", 0),                     // brand without the product: not specific
		item("no-subject", "2025-05-13", "挖孔机盖车主今天提车", 0),                     // names the hood, so subject 机盖 matches
		item("unlinked", "2025-05-14", "SU7U车主：风道名副其实，说到做到", 0, "su7u", "mi"), // alias, linked at ingest
		item("other-brand", "2025-05-15", "保时捷机盖风道很好", 0),                     // no watched entity, not linked
	}
	ev, err := ledger.Options{}.Collect(w, w.Claims[0], items, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"parent:contradicts", "no-subject:unrelated", "unlinked:confirms", "court:contradicts"}
	if got := ids(ev); !slices.Equal(got, want) {
		t.Fatalf("evidence = %v, want %v", got, want)
	}
	court := ev[3]
	if !slices.Equal(court.Duplicates, []string{"court2"}) {
		t.Errorf("court duplicates = %v, want [court2]", court.Duplicates)
	}
	// The duplicate lends its reach: 1 + ln(1+99).
	if want := 1 + math.Log(100); math.Abs(court.Weight-want) > 1e-9 {
		t.Errorf("court weight = %v, want %v", court.Weight, want)
	}
}

func TestCollectUnknownEntity(t *testing.T) {
	w := testWatch()
	c := w.Claims[0]
	c.Entity = "nope"
	if _, err := (ledger.Options{}).Collect(w, c, nil, time.Time{}); trustwatch.ErrorCode(err) != trustwatch.EINVALID {
		t.Fatalf("err = %v, want EINVALID", err)
	}
}

func TestAccount(t *testing.T) {
	w := testWatch()
	c := w.Claims[0]
	ev := []ledger.EvidenceItem{
		{ItemID: "a", Time: day("2025-03-10 12:00"), Stance: ledger.Contradicts, Weight: 1},
		{ItemID: "b", Time: day("2025-03-10 13:00"), Stance: ledger.Contradicts, Weight: 2},
		{ItemID: "u", Time: day("2025-03-10 14:00"), Stance: ledger.Unrelated, Weight: 5},
		{ItemID: "c", Time: day("2025-04-09 12:00"), Stance: ledger.Confirms, Weight: 1},
		{ItemID: "late", Time: day("2025-06-01"), Stance: ledger.Contradicts, Weight: 1},
	}
	at := day("2025-04-09 12:00")
	row := ledger.Options{}.Account(w, c, ev, at)
	// At the ledger time: a and b are 30 days minus 0 and 1 hour old,
	// c is new. s = 1·0.5^(720/720) + 2·0.5^(719/720), r = 1.
	s := 0.5 + 2*math.Pow(0.5, 719.0/720)
	if math.Abs(row.S-s) > 1e-9 || row.R != 1 {
		t.Fatalf("r, s = %v, %v; want 1, %v", row.R, row.S, s)
	}
	if e := 2 / (3 + s); math.Abs(row.E-e) > 1e-9 {
		t.Errorf("E = %v, want %v", row.E, e)
	}
	if row.EvidenceCount != 3 || row.Confirming != 1 || row.Contradicting != 2 {
		t.Errorf("counts = %d (%d/%d), want 3 (1/2)", row.EvidenceCount, row.Confirming, row.Contradicting)
	}
	// s ≈ 1.5, Rep = (1 − 1.5)/4.5 ≈ −0.11: both sides heard, 3 items (the
	// minimum) → disputed.
	if row.Status != ledger.StatusDisputed {
		t.Errorf("status = %s (%s), want disputed", row.Status, row.StatusNote)
	}
	if row.FirstContradiction == nil || !row.FirstContradiction.Equal(day("2025-03-10 12:00")) {
		t.Errorf("first contradiction = %v", row.FirstContradiction)
	}
	if !slices.Equal(row.TopEvidence, []string{"b", "c", "a"}) {
		t.Errorf("top evidence = %v, want [b c a]", row.TopEvidence)
	}
	// hype of the claim text: 黑科技 15 → charge 1.6.
	if row.Hype != 15 || row.Charge != 1.6 {
		t.Errorf("hype, charge = %d, %v; want 15, 1.6", row.Hype, row.Charge)
	}
	// Daily: from 2025-02-27 to 2025-04-09, 42 days; open until there are
	// 3 items with a stance.
	if len(row.Daily) != 42 {
		t.Fatalf("daily points = %d, want 42", len(row.Daily))
	}
	if d := row.Daily[0]; !d.Day.Equal(day("2025-02-27")) || d.Status != ledger.StatusOpen || d.R+d.S != 0 {
		t.Errorf("first day = %+v", d)
	}
	mar10 := row.Daily[11]
	if !mar10.Day.Equal(day("2025-03-10")) || mar10.N != 2 || mar10.Status != ledger.StatusOpen {
		t.Errorf("2025-03-10 = %+v, want n=2 open", mar10)
	}
	// Its s at midnight: 1·0.5^(12/720) + 2·0.5^(11/720).
	if s := math.Pow(0.5, 12.0/720) + 2*math.Pow(0.5, 11.0/720); math.Abs(mar10.S-s) > 1e-9 {
		t.Errorf("2025-03-10 s = %v, want %v", mar10.S, s)
	}
	last := row.Daily[len(row.Daily)-1]
	if math.Abs(last.S-row.S) > 1e-9 || last.Status != row.Status {
		t.Errorf("last day %+v disagrees with the row", last)
	}
	if !row.StatusSince.Equal(day("2025-04-09")) {
		t.Errorf("status since %v, want 2025-04-09", row.StatusSince)
	}
}

func TestAccountOpenShowsMinimum(t *testing.T) {
	w := testWatch()
	ev := []ledger.EvidenceItem{{ItemID: "a", Time: day("2026-05-13"), Stance: ledger.Contradicts, Weight: 1}}
	row := ledger.Options{}.Account(w, w.Claims[0], ev, day("2026-05-20"))
	if row.Status != ledger.StatusOpen || row.MinEvidence != 3 || !strings.Contains(row.StatusNote, "1 < 3") {
		t.Fatalf("status %s (%s), min %d; want open naming 1 < 3", row.Status, row.StatusNote, row.MinEvidence)
	}
	// Before delivery, even a lot of evidence leaves the claim open.
	ev = []ledger.EvidenceItem{
		{ItemID: "a", Time: day("2025-02-27 10:00"), Stance: ledger.Contradicts, Weight: 3},
		{ItemID: "b", Time: day("2025-02-27 11:00"), Stance: ledger.Contradicts, Weight: 3},
		{ItemID: "c", Time: day("2025-02-27 12:00"), Stance: ledger.Contradicts, Weight: 3},
	}
	row = ledger.Options{}.Account(w, w.Claims[0], ev, day("2025-02-28 12:00"))
	if row.Status != ledger.StatusOpen || !strings.Contains(row.StatusNote, "delivery") {
		t.Fatalf("before delivery: status %s (%s), want open", row.Status, row.StatusNote)
	}
}

func TestHalfLife(t *testing.T) {
	w := testWatch()
	c := w.Claims[0]
	ev := []ledger.EvidenceItem{{ItemID: "a", Time: day("2025-03-01"), Stance: ledger.Confirms, Weight: 1}}
	at := day("2025-03-11")
	tests := []struct {
		name string
		opt  ledger.Options
		hl   trustwatch.Duration
		want float64
	}{
		{"default 30 days", ledger.Options{}, 0, math.Pow(0.5, 10.0/30)},
		{"by kind", ledger.Options{HalfLifeByKind: map[string]time.Duration{"performance": 10 * 24 * time.Hour}}, 0, 0.5},
		{"claim's own wins", ledger.Options{HalfLifeByKind: map[string]time.Duration{"performance": time.Hour}}, trustwatch.Duration(5 * 24 * time.Hour), 0.25},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.HalfLife = tt.hl
			if r := tt.opt.Account(w, c, ev, at).R; math.Abs(r-tt.want) > 1e-9 {
				t.Errorf("r = %v, want %v", r, tt.want)
			}
		})
	}
}

func TestBalance(t *testing.T) {
	d1, d2 := day("2025-01-01"), day("2025-01-02")
	rows := []ledger.Row{
		{Charge: 2, Daily: []ledger.DayRep{{Day: d1, Rep: 0.5}, {Day: d2, Rep: -0.5}}},
		{Charge: 3, Daily: []ledger.DayRep{{Day: d2, Rep: 0.25}}},
	}
	got := ledger.Balance(rows)
	want := []ledger.DayBalance{{Day: d1, Balance: 1, Claims: 1}, {Day: d2, Balance: -1 + 0.75, Claims: 2}}
	if !slices.Equal(got, want) {
		t.Fatalf("Balance = %+v, want %+v", got, want)
	}
}

func TestDefaultSubject(t *testing.T) {
	w := testWatch()
	cut := func(s string) []string { return strings.Fields(s) }
	got := ledger.DefaultSubject("小米 全新 碳纤维 前舱盖 的 黑科技 续航 800 km", w, cut)
	want := []string{"碳纤维", "前舱盖", "续航", "km"}
	if !slices.Equal(got, want) {
		t.Fatalf("DefaultSubject = %v, want %v", got, want)
	}
}

// memStore is an in-memory ItemStore and EventStore for the store-facing
// functions; only what they call is implemented.
type memStore struct {
	trustwatch.ItemStore
	items  []trustwatch.Item
	events []trustwatch.Event
	calls  int
}

func (m *memStore) EachItem(_ context.Context, f trustwatch.ItemFilter, fn func(*trustwatch.Item) error) error {
	m.calls++
	for i := range m.items {
		it := &m.items[i]
		if f.Entity != "" && !slices.Contains(it.Entities, f.Entity) ||
			f.Query != "" && !strings.Contains(it.FullText(), f.Query) ||
			!f.From.IsZero() && it.Time.Before(f.From) || !f.To.IsZero() && !it.Time.Before(f.To) {
			continue
		}
		if err := fn(it); err != nil {
			return err
		}
	}
	return nil
}

func (m *memStore) FindEvents(_ context.Context, f trustwatch.EventFilter) ([]trustwatch.Event, error) {
	var out []trustwatch.Event
	for _, e := range m.events {
		if (f.Entity == "" || e.Entity == f.Entity) && (f.From.IsZero() || !e.Time.Before(f.From)) && (f.To.IsZero() || e.Time.Before(f.To)) {
			out = append(out, e)
		}
	}
	return out, nil
}

func (m *memStore) PutEvents(context.Context, []trustwatch.Event) (int, int, error) { return 0, 0, nil }

func TestDetect(t *testing.T) {
	w := testWatch()
	st := &memStore{
		items: []trustwatch.Item{
			item("x1", "2025-09-01", "SU7 Ultra的机盖风道就是个摆设", 10, "su7u", "mi"),
			item("x2", "2025-09-02", "挖孔机盖的风道是虚假宣传，退一赔三", 0, "mi"),
			item("x3", "2025-09-03", "说好的风道呢？SU7 Ultra车主都在维权", 3, "su7u", "mi"),
			item("r1", "2025-09-14", "台上是朋友，台下是法务，小米起诉用户", 0, "mi"),
			item("r2", "2025-09-15", "小米法务部起诉了博主", 0, "mi"),
			item("r3", "2025-09-15", "小米新品发布会", 0, "mi"),
		},
		events: []trustwatch.Event{
			{ID: "ev1", Time: day("2025-09-13"), Entity: "mi", Kind: trustwatch.EventLawsuit, Title: "小米起诉用户"},
			{ID: "ev2", Time: day("2025-09-20"), Entity: "mi", Kind: trustwatch.EventApology, Title: "小米道歉"},
		},
	}
	st.items[3].Sentiment = trustwatch.Negative
	got, err := ledger.Detect(context.Background(), st, st, w, day("2025-10-01"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("detections = %+v, want claim.default and saydo.gap", got)
	}
	def, gap := got[0], got[1]
	// Defaulted since the third item (2025-09-03). The detection carries
	// E as it was on that day, before any forgetting: the three weights
	// (1+ln 11) + 1 + (1+ln 4) ≈ 6.78 barely decayed, so E ≈ 1/8.5 ≈ 0.12
	// (a month later, at 10-01, it has faded to 0.18).
	if def.Kind != ledger.KindDefault || def.Subject != "hood-ducts" || !def.Time.Equal(day("2025-09-03")) {
		t.Errorf("claim detection = %+v, want claim.default on 2025-09-03", def)
	}
	rows, err := ledger.Ledger(context.Background(), st, w, day("2025-10-01"), "")
	if err != nil {
		t.Fatal(err)
	}
	var onTurn float64
	for _, r := range rows {
		for _, d := range r.Daily {
			if r.Claim == "hood-ducts" && d.Day.Equal(day("2025-09-03")) {
				onTurn = d.E
			}
		}
	}
	if undecayed := 1 / ((1 + math.Log(11)) + 1 + (1 + math.Log(4)) + 2); def.Value != onTurn || def.Value < undecayed || def.Value > 0.13 {
		t.Errorf("claim detection value (E) = %v, want the daily E of 2025-09-03 (%v), just above %v", def.Value, onTurn, undecayed)
	}
	if !strings.Contains(def.Statement, "已违约") || !strings.Contains(def.Statement, "（n=3）") || len(def.Evidence) != 3 {
		t.Errorf("claim detection statement/evidence = %q %v", def.Statement, def.Evidence)
	}
	if gap.Kind != ledger.KindSayDoGap || gap.Subject != "friends" || !gap.Time.Equal(day("2025-09-13")) || gap.Value != 2 {
		t.Fatalf("gap = %+v, want saydo.gap on 2025-09-13 with 2 reaction items", gap)
	}
	if !strings.Contains(gap.Statement, "负面 1") || !strings.Contains(gap.Statement, "其中 1 条同时提到「朋友」") || gap.Severity != trustwatch.SeverityHigh {
		t.Errorf("gap statement = %q (severity %s)", gap.Statement, gap.Severity)
	}
	if len(gap.Evidence) != 4 || gap.Evidence[2].ItemID != "r1" {
		t.Errorf("gap evidence = %+v, want value, event, r1, r2", gap.Evidence)
	}
	// The notes read as the analyst's words: what was said, what was done.
	if len(gap.Evidence) == 4 && (gap.Evidence[0].Note != "说：「"+w.Values[0].Text+"」" || gap.Evidence[1].Note != "做：诉讼「小米起诉用户」") {
		t.Errorf("gap notes = %q, %q", gap.Evidence[0].Note, gap.Evidence[1].Note)
	}
}

// TestLedgerAppliesToStoredItems: a claim added to the watch file after the
// items were stored finds them, with no step in between.
func TestLedgerAppliesToStoredItems(t *testing.T) {
	w := testWatch()
	st := &memStore{items: []trustwatch.Item{
		item("y1", "2025-05-10", "SU7续航实测达到宣传值，名副其实", 0, "su7", "mi"),
		item("y2", "2025-05-10", "SU7 Ultra续航很差", 0, "su7u", "mi"),
	}}
	w.Claims = append(w.Claims, trustwatch.Claim{ID: "later", Entity: "su7", Text: "续航扎实", Date: date("2025-05-01"), Subject: []string{"续航"}})
	rows, err := ledger.Ledger(context.Background(), st, w, day("2025-06-01"), "su7")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range rows {
		names = append(names, r.Claim)
	}
	if !slices.Equal(names, []string{"su7-range", "later"}) {
		t.Fatalf("rows = %v, want su7-range and later", names)
	}
	if r := rows[1]; r.EvidenceCount != 1 || r.Confirming != 1 || !slices.Equal(r.TopEvidence, []string{"y1"}) {
		t.Errorf("later: %+v, want y1 confirming (y2 is another model)", r)
	}
	if _, err := ledger.Ledger(context.Background(), st, w, day("2025-06-01"), "nope"); trustwatch.ErrorCode(err) != trustwatch.ENOTFOUND {
		t.Errorf("unknown entity: err = %v, want ENOTFOUND", err)
	}
	if _, err := ledger.Evidence(context.Background(), st, w, "nope"); trustwatch.ErrorCode(err) != trustwatch.ENOTFOUND {
		t.Errorf("unknown claim: err = %v, want ENOTFOUND", err)
	}
}

// TestStickyDefault follows a claim day by day with a half-life of one day,
// so every weight halves each day (an item at a day's midnight weighs 0.5 at
// that day's end). Rep = (r−s)/(r+s+2):
//
//	01-02  3 contra        s=1.5     Rep −0.429  defaulting
//	01-03                  s=0.75    Rep −0.273  defaulting
//	01-04                  s=0.375   Rep −0.158  defaulting
//	01-05                  s=0.1875  Rep −0.086  open (faded: defaulting does not stick)
//	01-06  4 contra        s=2.094   Rep −0.511  defaulted
//	01-07                  s=1.047   Rep −0.344  defaulted (on record; alone it is defaulting)
//	01-08                  s=0.523   Rep −0.207  defaulted
//	01-09                  s=0.262   Rep −0.116  defaulted (alone: open, faded)
//	01-10  2 confirm       r=1 s=0.131     Rep +0.278  defaulted (repaying is not repaid)
//	01-11  4 confirm       r=2.5 s=0.065   Rep +0.533  repaid: the record is cleared
//	01-12                  r=1.25          Rep +0.371  repaying
//	01-13                  r=0.625         Rep +0.231  repaying
//	01-14                  r=0.3125        Rep +0.131  open (faded)
func TestStickyDefault(t *testing.T) {
	w := testWatch()
	c := trustwatch.Claim{ID: "t", Entity: "su7", Text: "续航扎实", Date: date("2025-01-01"), Subject: []string{"续航"}}
	var ev []ledger.EvidenceItem
	add := func(d string, k int, st ledger.Stance) {
		for i := range k {
			ev = append(ev, ledger.EvidenceItem{ItemID: d + string(st) + string(rune('a'+i)), Time: day(d), Stance: st, Weight: 1})
		}
	}
	add("2025-01-02", 3, ledger.Contradicts)
	add("2025-01-06", 4, ledger.Contradicts)
	add("2025-01-10", 2, ledger.Confirms)
	add("2025-01-11", 4, ledger.Confirms)
	opt := ledger.Options{HalfLife: 24 * time.Hour}
	tests := []struct {
		day    string
		status string
		rep    float64
		since  string // the row's StatusSince when the ledger is run at the day's end
	}{
		{"2025-01-01", ledger.StatusOpen, 0, "2025-01-01"},
		{"2025-01-02", ledger.StatusDefaulting, -1.5 / 3.5, "2025-01-02"},
		{"2025-01-03", ledger.StatusDefaulting, -0.75 / 2.75, "2025-01-02"},
		{"2025-01-04", ledger.StatusDefaulting, -0.375 / 2.375, "2025-01-02"},
		{"2025-01-05", ledger.StatusOpen, -0.1875 / 2.1875, "2025-01-05"},
		{"2025-01-06", ledger.StatusDefaulted, -2.09375 / 4.09375, "2025-01-06"},
		{"2025-01-07", ledger.StatusDefaulted, -1.046875 / 3.046875, "2025-01-06"},
		{"2025-01-08", ledger.StatusDefaulted, -0.5234375 / 2.5234375, "2025-01-06"},
		{"2025-01-09", ledger.StatusDefaulted, -0.26171875 / 2.26171875, "2025-01-06"},
		{"2025-01-10", ledger.StatusDefaulted, (1 - 0.130859375) / 3.130859375, "2025-01-06"},
		{"2025-01-11", ledger.StatusRepaid, (2.5 - 0.0654296875) / 4.5654296875, "2025-01-11"},
		{"2025-01-12", ledger.StatusRepaying, (1.25 - 0.03271484375) / 3.28271484375, "2025-01-12"},
		{"2025-01-13", ledger.StatusRepaying, (0.625 - 0.016357421875) / 2.641357421875, "2025-01-12"},
		{"2025-01-14", ledger.StatusOpen, (0.3125 - 0.0081787109375) / 2.3206787109375, "2025-01-14"},
	}
	row := opt.Account(w, c, ev, day("2025-01-15"))
	if len(row.Daily) != 15 {
		t.Fatalf("daily points = %d, want 15 (01-01 … 01-15)", len(row.Daily))
	}
	for i, tt := range tests {
		d := row.Daily[i]
		if !d.Day.Equal(day(tt.day)) || d.Status != tt.status || math.Abs(d.Rep-tt.rep) > 1e-9 {
			t.Errorf("%s: got %s %s Rep %.4f, want %s Rep %.4f", tt.day, d.Day.Format("01-02"), d.Status, d.Rep, tt.status, tt.rep)
		}
		// The same day as the ledger's time: its status and since.
		at := opt.Account(w, c, ev, day(tt.day).Add(24*time.Hour-time.Nanosecond))
		if at.Status != tt.status || !at.StatusSince.Equal(day(tt.since)) {
			t.Errorf("ledger at the end of %s: %s since %s, want %s since %s", tt.day, at.Status, at.StatusSince.Format("2006-01-02"), tt.status, tt.since)
		}
	}
	if at := opt.Account(w, c, ev, day("2025-01-09 12:00")); !strings.Contains(at.StatusNote, "since 2025-01-06") {
		t.Errorf("note on 01-09 = %q, want the default's day", at.StatusNote)
	}
	// One detection per turn: defaulting on 01-02, the default on 01-06;
	// the days it stays on the record raise nothing new.
	var turns []string
	for _, d := range ledger.ClaimDetections(c, row, ev) {
		turns = append(turns, d.Kind+"@"+d.Time.Format("01-02"))
	}
	if want := []string{ledger.KindDefaulting + "@01-02", ledger.KindDefault + "@01-06"}; !slices.Equal(turns, want) {
		t.Errorf("detections = %v, want %v", turns, want)
	}
}

// TestRulingDefaults: one contradicting ruling (a court's finding) defaults
// the claim on its day, below the minimum evidence and at Rep −1/3, and the
// default stays while the ruling is forgotten. Without the ruling flag the
// same item leaves the claim open.
func TestRulingDefaults(t *testing.T) {
	w := testWatch()
	c := w.Claims[0] // delivered 2025-03-01
	ruling := []ledger.EvidenceItem{{ItemID: "court", Time: day("2026-05-13"), Stance: ledger.Contradicts, Weight: 1, Ruling: true}}
	tests := []struct {
		name   string
		ev     []ledger.EvidenceItem
		at     string
		status string
		since  string
	}{
		{"before the ruling", ruling, "2026-05-12", ledger.StatusOpen, "2025-02-27"},
		{"its day", ruling, "2026-05-13 12:00", ledger.StatusDefaulted, "2026-05-13"},
		{"48 days on", ruling, "2026-06-30", ledger.StatusDefaulted, "2026-05-13"},
		{"a year on", ruling, "2027-05-13", ledger.StatusDefaulted, "2026-05-13"},
		{"not a ruling", []ledger.EvidenceItem{{ItemID: "post", Time: day("2026-05-13"), Stance: ledger.Contradicts, Weight: 1}}, "2026-06-30", ledger.StatusOpen, "2025-02-27"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			row := ledger.Options{}.Account(w, c, tt.ev, day(tt.at))
			if row.Status != tt.status || !row.StatusSince.Equal(day(tt.since)) {
				t.Errorf("status %s since %s (%s), want %s since %s", row.Status, row.StatusSince.Format("2006-01-02"), row.StatusNote, tt.status, tt.since)
			}
		})
	}
	// Before delivery a ruling does not default: nothing was delivered.
	early := []ledger.EvidenceItem{{ItemID: "court", Time: day("2025-02-28"), Stance: ledger.Contradicts, Weight: 1, Ruling: true}}
	if row := (ledger.Options{}).Account(w, c, early, day("2025-02-28 12:00")); row.Status != ledger.StatusOpen {
		t.Errorf("ruling before delivery: status %s, want open", row.Status)
	}
}

// TestTopicNameIsNoMention: a topic's name is a label, not a name the text
// uses for an entity. Were it one, "挖孔机盖问题" would take the bytes of
// the hood's name and the item would be about no claim's entity.
func TestTopicNameIsNoMention(t *testing.T) {
	w := testWatch()
	w.Entities = append(w.Entities, trustwatch.Entity{ID: "hood-issues", Kind: trustwatch.EntityTopic, Name: "挖孔机盖问题", Query: "机盖 风道"})
	items := []trustwatch.Item{
		item("topic", "2025-05-10", "挖孔机盖问题：风道就是个摆设", 0, "hood", "su7u", "mi", "hood-issues"),
	}
	ev, err := ledger.Options{}.Collect(w, w.Claims[0], items, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(ev), []string{"topic:contradicts"}; !slices.Equal(got, want) {
		t.Fatalf("evidence = %v, want %v", got, want)
	}
}
