package alerteval

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"trustwatch"
)

var watch = &trustwatch.Watch{Entities: []trustwatch.Entity{
	{ID: "brand", Kind: trustwatch.EntityBrand, Name: "品牌"},
	{ID: "boss", Kind: trustwatch.EntityPerson, Name: "老板", Parent: "brand"},
	{ID: "car", Kind: trustwatch.EntityProduct, Name: "车", Parent: "brand"},
	{ID: "trim", Kind: trustwatch.EntityProduct, Name: "顶配", Parent: "car"},
	{ID: "other", Kind: trustwatch.EntityBrand, Name: "别家"},
}}

// at is noon of a September 2023 day in Shanghai.
func at(day int) time.Time {
	return time.Date(2023, 9, day, 12, 0, 0, 0, trustwatch.DefaultLocation())
}

func alertOn(id, kind, entity, subject string, day int) trustwatch.Alert {
	return trustwatch.Alert{ID: id, Kind: kind, Entity: entity, Subject: subject, Opened: at(day)}
}

func ev(kind, entity string, day int, term string) Event {
	return Event{Kind: kind, Entity: entity, Day: at(day).Format(dayLayout), Term: term}
}

func f(v float64) *float64 { return &v }

func TestEvaluate(t *testing.T) {
	type want struct {
		events, alerts, out, matched, redundant, falseAlarms int
		precision, precisionOK, recall                       *float64
		dayErr                                               *DayError
	}
	cases := []struct {
		name   string
		alerts []trustwatch.Alert
		events []Event
		opt    Options // Tolerance defaults to a day here, unless exact
		exact  bool
		want   want
	}{
		{
			name:   "one alert on the day",
			alerts: []trustwatch.Alert{alertOn("a", "volume.spike", "brand", "", 10)},
			events: []Event{ev("volume.spike", "brand", 10, "")},
			want:   want{1, 1, 0, 1, 0, 0, f(1), f(1), f(1), &DayError{0, 0, 0}},
		},
		{
			// Both are a day off; the early one is credited, the late one
			// is redundant: precision 1/2, 2/2 counting redundant as right.
			name: "early beats late at the same distance",
			alerts: []trustwatch.Alert{
				alertOn("late", "volume.spike", "brand", "", 11),
				alertOn("early", "sentiment.spike", "brand", "", 9),
			},
			events: []Event{ev("volume.spike|sentiment.spike", "brand", 10, "")},
			want:   want{1, 2, 0, 1, 1, 0, f(0.5), f(1), f(1), &DayError{1, -1, 1}},
		},
		{
			name:   "two days off is outside ±1d",
			alerts: []trustwatch.Alert{alertOn("a", "volume.spike", "brand", "", 12)},
			events: []Event{ev("volume.spike", "brand", 10, "")},
			want:   want{1, 1, 0, 0, 0, 1, f(0), f(0), f(0), nil},
		},
		{
			name:   "zero tolerance asks for the same day",
			alerts: []trustwatch.Alert{alertOn("a", "volume.spike", "brand", "", 11), alertOn("b", "volume.spike", "brand", "", 20)},
			events: []Event{ev("volume.spike", "brand", 10, ""), ev("volume.spike", "brand", 20, "")},
			exact:  true,
			want:   want{2, 2, 0, 1, 0, 1, f(0.5), f(0.5), f(0.5), &DayError{0, 0, 0}},
		},
		{
			name:   "two days off is inside ±2d",
			alerts: []trustwatch.Alert{alertOn("a", "volume.spike", "brand", "", 12)},
			events: []Event{ev("volume.spike", "brand", 10, "")},
			opt:    Options{Tolerance: 2 * 24 * time.Hour},
			want:   want{1, 1, 0, 1, 0, 0, f(1), f(1), f(1), &DayError{2, 2, 2}},
		},
		{
			// trim → car → brand: a grandchild counts for the brand; the
			// brand does not count for its product, nor does another brand.
			name: "children count for their ancestors only",
			alerts: []trustwatch.Alert{
				alertOn("a", "volume.spike", "trim", "", 10),
				alertOn("b", "volume.spike", "brand", "", 20),
				alertOn("c", "volume.spike", "other", "", 10),
			},
			events: []Event{ev("volume.spike", "brand", 10, ""), ev("volume.spike", "car", 20, "")},
			want:   want{2, 3, 0, 1, 0, 2, f(1.0 / 3), f(1.0 / 3), f(0.5), &DayError{0, 0, 0}},
		},
		{
			// claim.* covers claim.default and claim.defaulting; the volume
			// spike is of a kind the file does not mention: out of scope.
			name: "prefix family and scope",
			alerts: []trustwatch.Alert{
				alertOn("a", "claim.defaulting", "car", "brake", 10),
				alertOn("b", "claim.default", "car", "brake", 15),
				alertOn("c", "volume.spike", "brand", "", 10),
			},
			events: []Event{ev("claim.*", "car", 10, "brake"), ev("claim.*", "car", 15, "brake")},
			want:   want{2, 2, 1, 2, 0, 0, f(1), f(1), f(1), &DayError{0, 0, 0}},
		},
		{
			// The term contains the subject 眉笔; 口红 it does not; an alert
			// without a subject cannot satisfy a term.
			name: "term contains the subject",
			alerts: []trustwatch.Alert{
				alertOn("a", "term.emerging", "", "口红", 10),
				alertOn("b", "term.emerging", "", "眉笔", 11),
				alertOn("c", "term.emerging", "", "", 10),
			},
			events: []Event{ev("term.*", "", 10, "79元眉笔|花西子")},
			want:   want{1, 3, 0, 1, 0, 2, f(1.0 / 3), f(1.0 / 3), f(1), &DayError{1, 1, 1}},
		},
		{
			// Nearest-first greedy would take (11, 11) and leave the event of
			// the 10th without an alert; the assignment finds two matches.
			name: "maximum one-to-one matching",
			alerts: []trustwatch.Alert{
				alertOn("a11", "volume.spike", "brand", "", 11),
				alertOn("a12", "volume.spike", "brand", "", 12),
			},
			events: []Event{ev("volume.spike", "brand", 10, ""), ev("volume.spike", "brand", 11, "")},
			want:   want{2, 2, 0, 2, 0, 0, f(1), f(1), f(1), &DayError{1, 1, 1}},
		},
		{
			name: "quiet month: no event, three alarms",
			alerts: []trustwatch.Alert{
				alertOn("a", "volume.spike", "brand", "", 3),
				alertOn("b", "term.emerging", "", "x", 4),
				alertOn("c", "metric.low", "brand", "", 5),
			},
			events: []Event{},
			want:   want{0, 3, 0, 0, 0, 3, nil, nil, nil, nil},
		},
		{
			name:   "quiet month, quiet detectors",
			events: []Event{},
			want:   want{0, 0, 0, 0, 0, 0, nil, nil, nil, nil},
		},
		{
			name:   "an event and no alert",
			events: []Event{ev("volume.spike", "brand", 10, "")},
			want:   want{1, 0, 0, 0, 0, 0, nil, nil, f(0), nil},
		},
		{
			// --kinds narrows the scope below what the file names.
			name: "explicit kinds",
			alerts: []trustwatch.Alert{
				alertOn("a", "volume.spike", "brand", "", 10),
				alertOn("b", "term.emerging", "", "x", 10),
			},
			events: []Event{ev("volume.spike|term.*", "brand", 10, "")},
			opt:    Options{Kinds: []string{"volume.spike"}},
			want:   want{1, 1, 1, 1, 0, 0, f(1), f(1), f(1), &DayError{0, 0, 0}},
		},
		{
			// The span drops the alert of the 1st and the event of the 30th.
			name: "from and to",
			alerts: []trustwatch.Alert{
				alertOn("a", "volume.spike", "brand", "", 1),
				alertOn("b", "volume.spike", "brand", "", 10),
			},
			events: []Event{ev("volume.spike", "brand", 10, ""), ev("volume.spike", "brand", 30, "")},
			opt:    Options{From: "2023-09-05", To: "2023-09-29"},
			want:   want{1, 1, 1, 1, 0, 0, f(1), f(1), f(1), &DayError{0, 0, 0}},
		},
		{
			name: "empty entity means no entity; * means any",
			alerts: []trustwatch.Alert{
				alertOn("a", "volume.spike", "", "brakes", 10),
				alertOn("b", "volume.spike", "brand", "brakes", 10),
				alertOn("c", "volume.spike", "other", "", 20),
			},
			events: []Event{ev("volume.spike", "", 10, "brakes"), ev("volume.spike", "*", 20, "")},
			want:   want{2, 3, 0, 2, 0, 1, f(2.0 / 3), f(2.0 / 3), f(1), &DayError{0, 0, 0}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opt := c.opt
			if opt.Tolerance == 0 && !c.exact {
				opt.Tolerance = 24 * time.Hour
			}
			r, err := Evaluate(c.alerts, c.events, watch, opt)
			if err != nil {
				t.Fatal(err)
			}
			got := want{r.Events, r.Alerts, r.OutOfScope, r.Matched, r.Redundant, r.FalseAlarms,
				r.Precision, r.PrecisionRedundantOK, r.Recall, r.DayError}
			if got.events != c.want.events || got.alerts != c.want.alerts || got.out != c.want.out ||
				got.matched != c.want.matched || got.redundant != c.want.redundant || got.falseAlarms != c.want.falseAlarms {
				t.Errorf("counts: got %+v, want %+v", got, c.want)
			}
			for _, p := range []struct {
				name      string
				got, want *float64
			}{{"precision", r.Precision, c.want.precision}, {"precision_redundant_ok", r.PrecisionRedundantOK, c.want.precisionOK}, {"recall", r.Recall, c.want.recall}} {
				if !sameRatio(p.got, p.want) {
					t.Errorf("%s = %s, want %s", p.name, Pct(p.got), Pct(p.want))
				}
			}
			if (r.DayError == nil) != (c.want.dayErr == nil) || r.DayError != nil && *r.DayError != *c.want.dayErr {
				t.Errorf("day error = %+v, want %+v", r.DayError, c.want.dayErr)
			}
			if len(r.Matches)+len(r.Unmatched) != r.Alerts || len(r.Matches)+len(r.Missed) != r.Events {
				t.Errorf("lists do not add up: %d matches, %d unmatched, %d missed", len(r.Matches), len(r.Unmatched), len(r.Missed))
			}
			b, err := json.Marshal(r)
			if err != nil {
				t.Fatalf("json: %v", err)
			}
			if bytes.Contains(b, []byte("NaN")) {
				t.Errorf("json has NaN: %s", b)
			}
		})
	}
}

func sameRatio(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return math.Abs(*a-*b) < 1e-9
}

func TestQuietText(t *testing.T) {
	r, err := Evaluate([]trustwatch.Alert{alertOn("a", "volume.spike", "brand", "", 3), alertOn("b", "volume.spike", "car", "", 4)}, nil, watch, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.PrecisionText(); got != "n/a (2 false alarms)" {
		t.Errorf("precision text = %q", got)
	}
	var buf bytes.Buffer
	r.WriteText(&buf, 0)
	out := buf.String()
	for _, want := range []string{"scope: every kind", "precision        n/a (2 false alarms)", "recall           n/a", "false alarm"} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "NaN") {
		t.Errorf("text has NaN:\n%s", out)
	}
}

func TestDaysInZone(t *testing.T) {
	// 2023-09-10T16:00Z is midnight of the 11th in Shanghai.
	a := []trustwatch.Alert{{ID: "a", Kind: "volume.spike", Entity: "brand", Opened: time.Date(2023, 9, 10, 16, 0, 0, 0, time.UTC)}}
	evs := []Event{{Kind: "volume.spike", Entity: "brand", Day: "2023-09-10"}}
	for _, c := range []struct {
		loc  *time.Location
		days int
	}{{trustwatch.DefaultLocation(), 1}, {time.UTC, 0}} {
		r, err := Evaluate(a, evs, watch, Options{Location: c.loc, Tolerance: 24 * time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		if r.Matched != 1 || r.Matches[0].Days != c.days {
			t.Errorf("%v: matches %+v, want one %+dd", c.loc, r.Matches, c.days)
		}
	}
}

func TestParse(t *testing.T) {
	cases := []struct {
		name, in string
		jsonl    bool
		n        int
		err      string
	}{
		{name: "yaml list", in: "- {kind: volume.spike, entity: brand, day: 2023-09-10, note: 首日}\n- kind: term.*\n  entity: boss\n  day: 2023-09-11\n  term: 眉笔\n", n: 2},
		{name: "empty file", in: "", n: 0},
		{name: "comment only", in: "# the right answer is no alert\n", n: 0},
		{name: "empty list", in: "[]\n", n: 0},
		{name: "json lines", in: `{"kind":"volume.spike","entity":"brand","day":"2023-09-10"}` + "\n\n" + `{"kind":"claim.*","entity":"car","day":"2023-09-12","term":"brake"}` + "\n", n: 2},
		{name: "json lines by extension", in: `{"kind":"volume.spike","entity":"brand","day":"2023-09-10"}`, jsonl: true, n: 1},
		{name: "misspelt field", in: "- {kind: volume.spike, enitity: brand, day: 2023-09-10}\n", err: `events.yaml:1: unknown field "enitity"`},
		{name: "bad day", in: "- kind: volume.spike\n  entity: brand\n  day: 2023/09/10\n", err: `events.yaml:1: day "2023/09/10"`},
		{name: "no kind", in: "- {entity: brand, day: 2023-09-10}\n", err: "kind is required"},
		{name: "empty alternative", in: "- {kind: 'volume.spike|', entity: brand, day: 2023-09-10}\n", err: "empty alternative"},
		{name: "not a list", in: "kind: volume.spike\n", err: "want a list"},
		{name: "json unknown field", in: `{"kind":"volume.spike","day":"2023-09-10","entitty":"x"}`, err: "events.yaml:1:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			evs, err := Parse("events.yaml", []byte(c.in), c.jsonl)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(evs) != c.n || evs == nil {
				t.Fatalf("got %d events (%v), want %d", len(evs), evs, c.n)
			}
			if c.n > 0 && evs[0].Line != 1 {
				t.Errorf("line = %d, want 1", evs[0].Line)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	ok := []Event{{Kind: "x", Entity: "boss", Line: 1}, {Kind: "x", Entity: "", Line: 2}, {Kind: "x", Entity: "*", Line: 3}}
	if err := Check(ok, watch); err != nil {
		t.Error(err)
	}
	if err := Check([]Event{{Kind: "x", Entity: "nobody", Line: 4}}, watch); err == nil || !strings.Contains(err.Error(), "line 4") {
		t.Errorf("err = %v, want line 4", err)
	}
}
