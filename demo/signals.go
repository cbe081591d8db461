package demo

import (
	"math"
	"time"
)

type point struct {
	series string
	t      time.Time
	value  float64
	count  float64
	sample float64
	batch  string
}

type event struct {
	t      time.Time
	entity string
	kind   string
	title  string
	text   string
}

// Day the stock closes at its lowest in more than seven months, the
// follower series' worst 30 days, and the defect batch out of control.
const (
	DayStockLow    = DayAccident + 3
	DayBadBatch    = DayDelivery + 6*7
	sharesOut      = 24.9e9
	followersStart = 8_200_000
)

// signals writes the hard series: a daily close (with ten months of history
// before the launch), market value, founder followers, the order backlog,
// SOS connect times and weekly defect batches.
func (g *generator) signals() []point {
	var pts []point
	loc := g.start.Location()
	// Stock: history from day −300. A dip to 39.2 at day −150 is the previous
	// low, so the close of 39.6 on DayStockLow is the lowest in ~7.4 months.
	price := 52.0
	for day := -300; day < Days; day++ {
		t := time.Date(g.start.Year(), g.start.Month(), g.start.Day(), 16, 10, 0, 0, loc).AddDate(0, 0, day)
		if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		var target float64
		switch {
		case day < -210:
			target = 52
		case day < -150:
			target = 52 - float64(day+210)*0.2133 // a slow slide to 39.2
		case day < -120:
			target = 39.2 + float64(day+150)*0.31 // back to 48.5
		case day < 0:
			target = 48.5
		case day < 15:
			target = 52 + float64(day)*1.2 // the launch rally to 70
		case day < DayAccident:
			target = 70 - float64(day-15)*0.218 // drifts to 58
		case day < DayStockLow:
			target = 58 - float64(day-DayAccident+1)*1.5 // 56.5, 55, 53.5: falling, not yet a low
		default:
			target = 41.5 + math.Min(4, float64(day-DayStockLow)*0.12)
		}
		noise := g.r.NormFloat64() * 0.35
		if day == -150 {
			target, noise = 39.2, 0
		}
		if day == DayStockLow {
			target, noise = 39.6, 0
		}
		price = math.Max(target+noise, 40.2)
		if day == -150 || day == DayStockLow {
			price = target
		}
		price = math.Round(price*100) / 100
		pts = append(pts, point{series: "yc.close", t: t, value: price})
		pts = append(pts, point{series: "yc.mcap", t: t, value: math.Round(price * sharesOut)})
	}
	// Followers: grow until the accident, then lose about 12k a day for a month.
	f := float64(followersStart)
	for day := 0; day < Days; day++ {
		t := g.start.AddDate(0, 0, day).Add(23 * time.Hour)
		switch {
		case day < DayAccident:
			f += 5000 + g.r.NormFloat64()*800
		case day < DayAccident+30:
			f -= 12000 + g.r.NormFloat64()*1500
		default:
			f -= 1500 + g.r.NormFloat64()*500
		}
		pts = append(pts, point{series: "cl.followers", t: t, value: math.Round(f)})
	}
	// Order backlog: 240k at launch, ~20k by the end.
	for day := 0; day < Days; day++ {
		t := g.start.AddDate(0, 0, day).Add(22 * time.Hour)
		v := 240000 * math.Exp(-float64(day)/48)
		if day >= DayAccident {
			v *= 0.75
		}
		pts = append(pts, point{series: "yc.orders", t: t, value: math.Round(v/100) * 100})
	}
	// SOS connect seconds: ~30 s at first; after day 60 about six minutes.
	for day := 0; day < Days; day++ {
		n := 12 + g.r.IntN(10)
		for i := 0; i < n; i++ {
			t := g.start.AddDate(0, 0, day).Add(time.Duration(g.r.IntN(86400)) * time.Second)
			mean := 30.0
			if day >= 60 {
				mean = 330
			}
			v := math.Max(5, mean*math.Exp(g.r.NormFloat64()*0.25))
			pts = append(pts, point{series: "sos.connect", t: t, value: math.Round(v)})
		}
	}
	// Defect batches: weekly, 400–600 cars inspected; the rate varies far more
	// than chance between batches, and one batch is out of control.
	for w := 0; w*7+DayDelivery < Days; w++ {
		day := DayDelivery + w*7
		t := g.start.AddDate(0, 0, day).Add(18 * time.Hour)
		sample := float64(400 + g.r.IntN(200))
		// Between-batch spread well beyond the binomial, but inside the
		// p chart's limits: only the bad batch is out of control.
		rate := 0.03 + 0.012*g.r.NormFloat64()
		rate = math.Min(math.Max(rate, 0.014), 0.046)
		if day == DayBadBatch {
			rate = 0.14
		}
		count := math.Round(sample * rate)
		pts = append(pts, point{series: "y9.defects", t: t, count: count, sample: sample, value: count / sample,
			batch: t.Format("B2006-01-02")})
	}
	return pts
}

func (g *generator) events() []event {
	d := func(day, hour int) time.Time { return g.start.AddDate(0, 0, day).Add(time.Duration(hour) * time.Hour) }
	return []event{
		{d(-30, 10), "yaochuan", "statement", "曜川汽车品牌日：和用户做朋友", "程朗：曜川的初心就是和用户做朋友。"},
		{d(DayAccident+2, 20), "yaochuan", "statement", "曜川汽车回应Y9高速事故", "正在配合调查。"},
		{d(DayObjection, 11), "yaochuan", "jurisdiction_objection", "曜川汽车对起诉车主提出管辖权异议", "车主就机盖宣传起诉，曜川提出管辖权异议。"},
		{d(DayLawsuit, 15), "yaochuan", "lawsuit", "曜川汽车起诉车主名誉侵权", "曜川汽车起诉一名发布事故视频的车主。"},
		{d(DayCourt, 10), "y9", "other", "法院认定曜川Y9双风道机盖存在夸大宣传", "一审判决。"},
	}
}
