package trustwatch

import "time"

// Series kinds.
const (
	SeriesPrice           = "price"
	SeriesMarketCap       = "market_cap"
	SeriesFollowers       = "followers"
	SeriesOrders          = "orders"
	SeriesResponseSeconds = "response_seconds"
	SeriesDefects         = "defects"
)

// Point is one observation of a metric series. Defect series carry a count
// out of a sample (Value = Count/Sample is not stored, it is derived).
type Point struct {
	Series string    `json:"series"`
	Time   time.Time `json:"time"`
	Value  float64   `json:"value"`
	Entity string    `json:"entity,omitempty"`
	Unit   string    `json:"unit,omitempty"`
	// Count and Sample are set for defect series: Count defects in Sample units.
	Count  float64 `json:"count,omitempty"`
	Sample float64 `json:"sample,omitempty"`
	// Batch names a production batch, when points are batches, not periods.
	Batch string `json:"batch,omitempty"`
}

// PointFilter selects points of one series.
type PointFilter struct {
	Series   string
	From, To time.Time // [From, To)
}

// Event kinds.
const (
	EventLawsuit               = "lawsuit"
	EventJurisdictionObjection = "jurisdiction_objection"
	EventRecall                = "recall"
	EventApology               = "apology"
	EventPriceCut              = "price_cut"
	EventStatement             = "statement"
	EventOther                 = "other"
)

// eventKindNames are the Chinese names of the event kinds.
var eventKindNames = map[string]string{
	EventLawsuit:               "诉讼",
	EventJurisdictionObjection: "管辖权异议",
	EventRecall:                "召回",
	EventApology:               "道歉",
	EventPriceCut:              "降价",
	EventStatement:             "声明",
	EventOther:                 "事件",
}

// EventKindName names an event kind in Chinese (lawsuit → 诉讼); an unknown
// kind is shown as it is. It lives beside the kinds, not in label, because
// detectors quote it in their statements and label reads the detectors.
func EventKindName(k string) string {
	if n, ok := eventKindNames[k]; ok {
		return n
	}
	return k
}

// Event is something the brand did: a lawsuit, a recall, an apology.
type Event struct {
	ID     string    `json:"id"`
	Time   time.Time `json:"time"`
	Entity string    `json:"entity"`
	Kind   string    `json:"kind"`
	Title  string    `json:"title"`
	Text   string    `json:"text,omitempty"`
	URL    string    `json:"url,omitempty"`
}

// EventFilter selects events.
type EventFilter struct {
	Entity   string
	Kind     string
	From, To time.Time
}

// Period is a rollup granularity.
type Period string

// Rollup periods.
const (
	Hour Period = "hour"
	Day  Period = "day"
)

// VolumeFilter selects a volume series from the rollups.
type VolumeFilter struct {
	By       Period
	Entity   string // "" for all items
	Platform string // "" for all platforms
	Kind     Kind   // "" for all kinds
	Aspect   string // "" for item volume; set for the volume of items mentioning that aspect
	From, To time.Time
}

// VolumePoint is the count of items in one period, split by sentiment.
type VolumePoint struct {
	Period time.Time `json:"period"`
	Count  int64     `json:"count"`
	Pos    int64     `json:"pos"`
	Neg    int64     `json:"neg"`
	Neu    int64     `json:"neu"`
}

// Net is the net sentiment (pos − neg) / (pos + neg + neu), 0 for no items.
func (p VolumePoint) Net() float64 {
	n := p.Pos + p.Neg + p.Neu
	if n == 0 {
		return 0
	}
	return float64(p.Pos-p.Neg) / float64(n)
}

// VolumeBreakdown is the volume of one group (a platform, an entity, an aspect) over a span.
type VolumeBreakdown struct {
	Key   string `json:"key"`
	Count int64  `json:"count"`
	Pos   int64  `json:"pos"`
	Neg   int64  `json:"neg"`
	Neu   int64  `json:"neu"`
}
