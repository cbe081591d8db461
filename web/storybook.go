package web

import (
	"html/template"
	"math"
	"net/http"
	"net/url"
	"time"

	"trustwatch"
	"trustwatch/chart"
)

// hostileText is post text that tries to run script; the storybook shows
// that it stays text.
const hostileText = `<script>alert(1)</script><img src=x onerror=alert(2)>`

type specimen struct {
	Name string
	SVG  template.HTML
}

type storybookPage struct {
	Charts  []specimen
	Sparks  []specimen
	Items   []trustwatch.Item
	Aspects aspectTable
	Pager   pager
}

// handleStorybook renders the charts and components from fixture data, to
// check layout (CJK labels, legends, markers) in a browser. It reads nothing
// from the store.
func (s *Server) handleStorybook(w http.ResponseWriter, r *http.Request) {
	loc := s.Location
	start := time.Date(2024, 3, 1, 0, 0, 0, 0, loc)
	daily := fixtureVolume(start, 60, trustwatch.Day)
	hourly := fixtureVolume(start, 72, trustwatch.Hour)
	days := make([]time.Time, 60)
	for i := range days {
		days[i] = start.AddDate(0, 0, i)
	}
	wave := func(phase, amp, base float64) []float64 {
		vs := make([]float64, len(days))
		for i := range vs {
			vs[i] = math.Round(base + amp*math.Sin(float64(i)/5+phase) + float64(i%7))
		}
		return vs
	}

	var charts []specimen
	add := func(name string, h template.HTML) { charts = append(charts, specimen{name, h}) }
	add("情感走势（按日，含峰值标记）", func() template.HTML {
		c := s.sentimentChartSpec("小米汽车 情感走势", daily, trustwatch.Day, 1100, 300)
		c.Markers = []chart.Marker{
			{Time: days[28], Label: "负面激增", Title: "负面条数 3.2σ 高于基线", Dot: true, Value: 61},
			{Time: days[40], Label: "发布会", Title: "SU7 发布会"},
			{Time: days[41], Label: "被挤掉的标签", Title: "两个标记靠得太近时，第二个标签不画"},
		}
		return c.HTML()
	}())
	add("情感走势（按小时，3 天）", s.sentimentChart("雷军 情感走势（小时）", hourly, trustwatch.Hour, 1100, 260))
	add("窄图（320px）", s.sentimentChart("小米SU7标准版 情感走势", daily, trustwatch.Day, 320, 240))
	add("多条线：长中文图例换行", (&chart.Chart{
		Title: "各实体声量", Width: 560, Height: 280, Location: loc, Step: 24 * time.Hour,
		Left: chart.Axis{Label: "条数", IncludeZero: true},
		Lines: []chart.Series{
			{Name: "小米汽车（品牌）", Times: days, Values: wave(0, 20, 60)},
			{Name: "雷军（创始人、董事长）", Times: days, Values: wave(1, 15, 40)},
			{Name: "小米SU7标准版", Times: days, Values: wave(2, 10, 25)},
			{Name: "YU7", Times: days, Values: wave(3, 8, 12)},
			{Name: "竞品：保时捷 Taycan Turbo", Times: days, Values: wave(4, 5, 10), Dashed: true},
		},
	}).HTML())
	add("堆叠面积：各平台", (&chart.Chart{
		Title: "各平台声量（面积）", Width: 560, Height: 280, Location: loc, Step: 24 * time.Hour, Areas: true,
		Left: chart.Axis{Label: "条数"},
		Stacked: []chart.Series{
			{Name: "微博", Times: days, Values: wave(0, 20, 40)},
			{Name: "小红书", Times: days, Values: wave(1, 10, 20)},
			{Name: "抖音", Times: days, Values: wave(2, 10, 15)},
			{Name: "哔哩哔哩", Times: days, Values: wave(3, 5, 8)},
		},
	}).HTML())
	add("控制图：控制限与阈值", func() template.HTML {
		p := wave(0, 0.01, 0.04)
		for i := range p {
			p[i] = 0.04 + 0.01*math.Sin(float64(i)/3) + float64(i%5)*0.002
		}
		p[33] = 0.085
		return (&chart.Chart{
			Title: "漆面缺陷率 p 图", Width: 1100, Height: 260, Location: loc,
			Left:    chart.Axis{Label: "缺陷率", Percent: true, IncludeZero: true},
			Lines:   []chart.Series{{Name: "缺陷率", Times: days, Values: p}},
			Bands:   []chart.Band{{From: 0.02, To: 0.07, Label: "控制区间 (LCL–UCL)", Color: "#3a9a5b"}},
			HLines:  []chart.HLine{{Value: 0.07, Label: "UCL 7%", Dashed: true}, {Value: 0.045, Label: "中心线", Color: "#6b7280"}},
			Markers: []chart.Marker{{Time: days[33], Label: "超出控制限", Title: "p = 8.5% > UCL", Dot: true, Value: 0.085}},
		}).HTML()
	}())
	add("恶意标签（应显示为文字）", (&chart.Chart{
		Title: hostileText, Width: 560, Height: 220, Location: loc,
		Lines:   []chart.Series{{Name: hostileText, Times: days, Values: wave(0, 5, 10)}},
		Markers: []chart.Marker{{Time: days[10], Label: hostileText, Title: hostileText}},
	}).HTML())
	add("空图", (&chart.Chart{Title: "没有数据的实体", Width: 560, Height: 200, Location: loc}).HTML())

	var sparks []specimen
	for i, name := range []string{"刹车", "续航", "内饰做工", "外观设计原创性"} {
		sparks = append(sparks, specimen{name, (&chart.Spark{Values: wave(float64(i), 5, 8)[:30], Title: name, Color: colorNeg}).HTML()})
	}

	parentTime := start.AddDate(0, 0, 10).Add(9 * time.Hour)
	items := []trustwatch.Item{
		{ID: "story1", Platform: "weibo", Kind: trustwatch.KindPost, Author: "用户A", Text: "刹车盘缩小了，高速制动发软，售后说一切正常。", Time: parentTime,
			URL: "https://weibo.com/1/story1", Likes: 1200, Reposts: 300, Replies: 88, Sentiment: trustwatch.Negative, Entities: []string{"xiaomi"},
			Aspects: []trustwatch.AspectHit{{Aspect: "brakes", Label: trustwatch.Negative, Word: "刹车盘"}}},
		{ID: "story2", Platform: "xhs", Kind: trustwatch.KindComment, ParentID: "story1", Author: hostileText, Text: hostileText, Title: hostileText, Time: parentTime.Add(time.Hour),
			URL: "javascript:alert(3)", Likes: 5, Sentiment: trustwatch.Neutral},
		{ID: "story3", Platform: "douyin", Kind: trustwatch.KindReview, Author: "车主B", Text: "续航比宣传的少了三成，但座椅很舒服。", Time: parentTime.Add(26 * time.Hour), Sentiment: trustwatch.Positive, Likes: 40},
	}
	one := 0.5
	minus := -0.25
	rows := []AspectRow{
		{Aspect: "brakes", Name: "刹车", Count: 420, Neg: 260, Neu: 100, Pos: 60, NegShare: 260.0 / 420, PreviousCount: 280, PreviousNegShare: 0.4, Change: &one, NegShareChange: 260.0/420 - 0.4},
		{Aspect: "range", Name: "续航", Count: 300, Neg: 90, Neu: 150, Pos: 60, NegShare: 0.3, PreviousCount: 400, PreviousNegShare: 0.35, Change: &minus, NegShareChange: -0.05},
		{Aspect: hostileText, Name: hostileText, Count: 3, Neg: 1, Neu: 2, NegShare: 1.0 / 3},
	}
	for i := range rows {
		rows[i].Spark = sparks[i%len(sparks)].SVG
		rows[i].ItemsURL = searchURL("aspect", rows[i].Aspect, "label", "neg", "order", "engagement")
	}
	s.render(w, r, http.StatusOK, "storybook", "组件", storybookPage{
		Charts:  charts,
		Sparks:  sparks,
		Items:   items,
		Aspects: aspectTable{Window: window{From: start, To: start.AddDate(0, 0, 30)}, Rows: rows},
		Pager:   newPager("/storybook", url.Values{"q": {"刹车"}}, 2, 20, 95),
	})
}

// fixtureVolume is a deterministic sentiment series with a negative spike
// two-thirds of the way through.
func fixtureVolume(start time.Time, n int, by trustwatch.Period) []trustwatch.VolumePoint {
	pts := make([]trustwatch.VolumePoint, n)
	t := start
	for i := range pts {
		pos := int64(20 + 10*math.Sin(float64(i)/4))
		neu := int64(15 + i%6)
		neg := int64(8 + 4*math.Cos(float64(i)/3))
		if i == n*2/3-12 || i == n*2/3-11 {
			neg *= 5
		}
		if i%11 == 10 {
			pos, neu, neg = 0, 0, 0 // a quiet period: a gap in the net line
		}
		pts[i] = trustwatch.VolumePoint{Period: t, Pos: pos, Neu: neu, Neg: neg, Count: pos + neu + neg}
		t = nextPeriod(t, by)
	}
	return pts
}
