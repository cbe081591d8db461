package sla_test

import (
	"math"
	"slices"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/detect/sla"
)

var sh = trustwatch.DefaultLocation()

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, sh)
	if err != nil {
		panic(err)
	}
	return t
}

func dur(s string) trustwatch.Duration {
	d, err := trustwatch.ParseDuration(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestPercentile(t *testing.T) {
	// Nearest rank, the worked example of the definition: 15 20 35 40 50.
	vals := []float64{15, 20, 35, 40, 50}
	tests := []struct {
		p    float64
		want float64
	}{{5, 15}, {30, 20}, {40, 20}, {50, 35}, {90, 50}, {100, 50}}
	for _, tt := range tests {
		if got := sla.Percentile(vals, tt.p); got != tt.want {
			t.Errorf("P%v = %v, want %v", tt.p, got, tt.want)
		}
	}
	one := []float64{7}
	if sla.Percentile(one, 99) != 7 || sla.Percentile(one, 1) != 7 {
		t.Error("one value is every percentile")
	}
	if !math.IsNaN(sla.Percentile(nil, 90)) || !math.IsNaN(sla.Percentile(vals, 0)) {
		t.Error("no values or p=0 must be NaN")
	}
}

func TestPeriodStart(t *testing.T) {
	thu := at("2025-06-12 10:30")
	tests := []struct {
		name   string
		t      time.Time
		period string
		loc    *time.Location
		want   time.Time
	}{
		{"day", thu, "1d", sh, at("2025-06-12 00:00")},
		{"week starts Monday", thu, "7d", sh, at("2025-06-09 00:00")},
		{"Monday itself", at("2025-06-09 00:00"), "1w", sh, at("2025-06-09 00:00")},
		{"Sunday", at("2025-06-15 23:59"), "7d", sh, at("2025-06-09 00:00")},
		{"two days from 1970-01-01 (20251 days: odd)", thu, "2d", sh, at("2025-06-11 00:00")},
		{"six hours", thu, "6h", sh, at("2025-06-12 06:00")},
		// 00:30 in Shanghai is 16:30 UTC the day before.
		{"day in UTC", at("2025-06-13 00:30"), "1d", time.UTC, time.Date(2025, 6, 12, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		got := sla.PeriodStart(tt.t, dur(tt.period).D(), tt.loc)
		if !got.Equal(tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func sos() []trustwatch.Point {
	var pts []trustwatch.Point
	add := func(s string, v float64) {
		pts = append(pts, trustwatch.Point{Series: "sos.connect", Time: at(s), Value: v})
	}
	for i, v := range []float64{30, 45, 50, 55, 58, 62, 90, 120, 300, 360} {
		add("2025-06-12 "+time.Date(0, 1, 1, 8+i, 0, 0, 0, time.UTC).Format("15:04"), v)
	}
	add("2025-06-13 09:00", 40)
	add("2025-06-13 10:00", 50)
	add("2025-06-13 11:00", 55)
	add("2025-06-14 00:30", 400) // Shanghai day 14, UTC day 13
	return pts
}

func TestPeriods(t *testing.T) {
	ps := sla.Periods(sos(), 24*time.Hour, 60, sh)
	if len(ps) != 3 {
		t.Fatalf("got %d periods, want 3", len(ps))
	}
	p := ps[0]
	// Day 12 sorted: 30 45 50 55 58 62 90 120 300 360.
	// P50 = 5th = 58, P90 = 9th = 300, P99 = 10th = 360; 5 over 60.
	if p.N != 10 || p.P50 != 58 || p.P90 != 300 || p.P99 != 360 || p.Max != 360 || p.Over != 5 || p.ShareOver != 0.5 {
		t.Errorf("day 12: %+v", p)
	}
	// Day 13: 40 50 55: P90 = ceil(2.7) = 3rd = 55.
	if p := ps[1]; p.N != 3 || p.P90 != 55 || p.Over != 0 {
		t.Errorf("day 13: %+v", p)
	}
	// In UTC the 00:30 point joins day 13: 40 50 55 400, P90 = 4th = 400.
	utc := sla.Periods(sos(), 24*time.Hour, 60, time.UTC)
	if len(utc) != 2 || utc[1].N != 4 || utc[1].P90 != 400 {
		t.Errorf("UTC days: %+v", utc)
	}
	week := sla.Periods(sos(), 7*24*time.Hour, 60, sh)
	if len(week) != 1 || week[0].N != 14 || !week[0].Start.Equal(at("2025-06-09 00:00")) {
		t.Errorf("week: %+v", week)
	}
}

func f(v float64) *float64 { return &v }

func TestDetect(t *testing.T) {
	def := trustwatch.SeriesDef{ID: "sos.connect", Entity: "xiaomi", Kind: trustwatch.SeriesResponseSeconds, Unit: "秒"}
	tests := []struct {
		name       string
		rule       trustwatch.Rule
		loc        *time.Location
		times      []time.Time
		values     []float64
		statements []string
	}{
		{
			name:   "p90 over 60 s per day",
			rule:   trustwatch.Rule{ID: "sos", Detector: "sla", Target: 60, Percentile: 90, Period: dur("1d")},
			times:  []time.Time{at("2025-06-12 17:00"), at("2025-06-14 00:30")},
			values: []float64{300, 400},
			statements: []string{
				"sos.connect 2025-06-12 P90 为 300 秒，超过目标 60 秒（10 次中 5 次超标，占 50%；P50 58 秒，最长 360 秒）",
				"sos.connect 2025-06-14 P90 为 400 秒，超过目标 60 秒（1 次中 1 次超标，占 100%；P50 400 秒，最长 400 秒）",
			},
		},
		{
			name:   "min_count drops thin days",
			rule:   trustwatch.Rule{ID: "sos", Detector: "sla", Target: 60, MinCount: 3},
			times:  []time.Time{at("2025-06-12 17:00")},
			values: []float64{300},
		},
		{
			name:   "p50 is within target on day 12",
			rule:   trustwatch.Rule{ID: "sos", Detector: "sla", Target: 60, Percentile: 50, MinCount: 2},
			times:  nil,
			values: nil,
		},
		{
			name:       "share over target as the trigger",
			rule:       trustwatch.Rule{ID: "sos", Detector: "sla", Target: 60, Percentile: 50, AbovePct: f(40), MinCount: 2},
			times:      []time.Time{at("2025-06-12 17:00")},
			values:     []float64{58},
			statements: []string{"sos.connect 2025-06-12 P50 为 58 秒，未超过目标 60 秒（10 次中 5 次超标，占 50%；P50 58 秒，最长 360 秒）"},
		},
		{
			name:       "weekly p99 in UTC",
			rule:       trustwatch.Rule{ID: "sos", Detector: "sla", Target: 350, Percentile: 99, Period: dur("7d")},
			loc:        time.UTC,
			times:      []time.Time{at("2025-06-14 00:30")},
			values:     []float64{400},
			statements: []string{"sos.connect 2025-06-09 当周 P99 为 400 秒，超过目标 350 秒（14 次中 2 次超标，占 14.3%；P50 55 秒，最长 400 秒）"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := tt.loc
			if loc == nil {
				loc = sh
			}
			dets, err := sla.Detect(sos(), def, tt.rule, loc)
			if err != nil {
				t.Fatal(err)
			}
			if len(dets) != len(tt.times) {
				for _, d := range dets {
					t.Log(d.Statement)
				}
				t.Fatalf("got %d detections, want %d", len(dets), len(tt.times))
			}
			for i, d := range dets {
				if !d.Time.Equal(tt.times[i]) || d.Value != tt.values[i] || d.Kind != sla.KindBreach || d.Entity != "xiaomi" {
					t.Errorf("detection %d: %v %v %s %s", i, d.Time, d.Value, d.Kind, d.Entity)
				}
				if i < len(tt.statements) && d.Statement != tt.statements[i] {
					t.Errorf("detection %d:\n got %s\nwant %s", i, d.Statement, tt.statements[i])
				}
				if len(d.Evidence) == 0 || d.Evidence[0].Value < d.Evidence[len(d.Evidence)-1].Value {
					t.Errorf("detection %d: evidence must be the slowest first: %+v", i, d.Evidence)
				}
			}
		})
	}
	for _, r := range []trustwatch.Rule{
		{ID: "x", Detector: "sla"},
		{ID: "x", Detector: "sla", Target: 60, Percentile: 120},
		{ID: "x", Detector: "low", Target: 60},
	} {
		if _, err := sla.Detect(sos(), def, r, sh); trustwatch.ErrorCode(err) != trustwatch.EINVALID {
			t.Errorf("%+v: err %v, want EINVALID", r, err)
		}
	}
	if dets, err := sla.Detect(nil, def, trustwatch.Rule{ID: "x", Detector: "sla", Target: 60}, sh); err != nil || len(dets) != 0 {
		t.Errorf("no points: %v %v", dets, err)
	}
}

func TestWaitMention(t *testing.T) {
	tests := []struct {
		text    string
		ok      bool
		minutes float64
	}{
		{"SOS 按了等了40分钟才有人接", true, 40},
		{"出事后SOS 6分钟才接通", true, 6},
		{"客服等了半个小时", true, 30},
		{"等了一个多小时都没人管", true, 60},
		{"排队一个半小时", true, 90},
		{"排队两个小时", true, 120},
		{"等了十五分钟", true, 15},
		{"等了二十分钟", true, 20},
		{"前后等了2.5小时", true, 150},
		{"等了几分钟", true, 0},
		{"客服电话根本打不通", true, 0},
		{"400热线没人接", true, 0},
		{"用了3天就坏了", false, 0},
		{"车开起来很稳", false, 0},
	}
	for _, tt := range tests {
		ok, m := sla.WaitMention(tt.text)
		if ok != tt.ok || m != tt.minutes {
			t.Errorf("WaitMention(%q) = %v, %v; want %v, %v", tt.text, ok, m, tt.ok, tt.minutes)
		}
	}
}

func TestWaitShare(t *testing.T) {
	items := []trustwatch.Item{
		{ID: "1", Text: "等了40分钟才接通"},
		{ID: "2", Text: "客服打不通"},
		{ID: "3", Text: "等了10分钟"},
		{ID: "4", Text: "维修质量差"},
		{ID: "5", Text: "态度很差"},
	}
	rep := sla.WaitShare(items)
	if rep.N != 5 || rep.Waiting != 3 || rep.Share != 0.6 || rep.Stated != 2 || rep.MedianMinutes != 25 || rep.MaxMinutes != 40 {
		t.Errorf("got %+v", rep)
	}
	if !slices.Equal(rep.ItemIDs, []string{"1", "2", "3"}) {
		t.Errorf("ids %v", rep.ItemIDs)
	}
	if rep := sla.WaitShare(nil); rep.Share != 0 || rep.N != 0 {
		t.Errorf("empty: %+v", rep)
	}
}

func TestCannedReplies(t *testing.T) {
	base := at("2025-06-12 10:00")
	reply := func(id, parent, text string, min int) trustwatch.Item {
		return trustwatch.Item{ID: id, ParentID: parent, Author: "小米汽车客服", Text: text, Time: base.Add(time.Duration(min) * time.Minute)}
	}
	replies := []trustwatch.Item{
		reply("r1", "p1", "@张三 您好，您反馈的问题我们已记录，会尽快安排专人跟进处理，感谢您的支持！", 0),
		reply("r2", "p2", "@李四 您好，您反馈的问题我们已记录，会尽快安排专人跟进处理，感谢您的支持！", 5),
		// Jaccard of bigrams with r1: 25/32 = 0.78.
		reply("r3", "p3", "您好，您反馈的问题我们已经记录，会尽快安排专人跟进处理，感谢支持！", 9),
		reply("r4", "p1", "关于刹车的问题，我们的工程师明天会和您电话联系，具体说明检测结果。", 12),
		reply("r5", "p4", "谢谢支持", 15), // too short to judge
		reply("r6", "p5", "这个问题请私信我们的客服账号获取帮助哦", 20),
		reply("r7", "p5", "这个问题请私信我们的客服账号获取帮助哦", 21), // one thread: repetition, not a template
	}
	rep := sla.CannedReplies(replies, 0)
	if rep.N != 6 || rep.Canned != 3 || rep.Share != 0.5 || len(rep.Groups) != 1 {
		t.Fatalf("got %+v", rep)
	}
	g := rep.Groups[0]
	if !slices.Equal(g.ItemIDs, []string{"r1", "r2", "r3"}) || g.Threads != 3 || g.Text != replies[0].Text {
		t.Errorf("group %+v", g)
	}
	// At 0.8 the reworded r3 no longer belongs.
	if rep := sla.CannedReplies(replies, 0.8); rep.Canned != 2 {
		t.Errorf("similarity 0.8: %+v", rep)
	}
	official := sla.OfficialReplies(append(replies, trustwatch.Item{ID: "u", Author: "someone", Text: "x"}), []string{"小米汽车客服"})
	if len(official) != len(replies) {
		t.Errorf("official: %d", len(official))
	}
}

func BenchmarkCannedReplies(b *testing.B) {
	templates := []string{
		"您好，您反馈的问题我们已记录，会尽快安排专人跟进处理，感谢您的支持！",
		"非常抱歉给您带来不便，请私信我们提供订单号，我们会第一时间为您核实。",
		"感谢关注，新车交付进度请以官方APP通知为准，祝您生活愉快。",
	}
	var replies []trustwatch.Item
	for i := range 2000 {
		text := templates[i%3]
		if i%5 == 0 {
			text = "第" + string(rune('A'+i%26)) + "号问题：" + templates[(i+1)%3][:30] + string(rune(0x4e00+i))
		}
		replies = append(replies, trustwatch.Item{ID: string(rune(0x4e00 + i)), ParentID: string(rune(0x5e00 + i%300)), Text: text})
	}
	for b.Loop() {
		sla.CannedReplies(replies, 0)
	}
}

func FuzzWaitMention(f *testing.F) {
	for _, s := range []string{"等了40分钟", "等了一个半小时", "排队十五分钟", "打不通", "等了几天", "等了百分钟"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ok, m := sla.WaitMention(s)
		if m < 0 || math.IsNaN(m) || (!ok && m != 0) {
			t.Fatalf("WaitMention(%q) = %v, %v", s, ok, m)
		}
	})
}
