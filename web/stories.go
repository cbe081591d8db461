package web

import (
	"cmp"
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"trustwatch"
	"trustwatch/detect/burst"
	"trustwatch/label"
	"trustwatch/results"
	"trustwatch/story"
)

// maxStoriesWindow bounds a requested window: clustering reads and cuts
// every item in it.
const maxStoriesWindow = 92 * 24 * time.Hour

// storiesShown is how many stories /stories lists, storyItemsShown how
// many items a story's page shows (its most engaged).
const (
	storiesShown    = 50
	storiesCharted  = 5
	storyItemsShown = 100
)

// spikeSpan is the stretch of items after a spike alert's latest spike
// whose coordination its page shows: the alert keeps when that spike
// began (Updated: the data time of its newest detection, whose numbers the
// statement gives), not how long it lasted, and the detector's windows are
// a day at most.
const spikeSpan = 24 * time.Hour

type storiesPage struct {
	Window window
	Order  string // "count" (the default) or "engagement"
	// Chart draws the volume of the first storiesCharted rows.
	Chart   template.HTML
	Rows    []storyRow
	Total   int // stories in the window
	Elapsed time.Duration
}

// storyRow is one story with what its list row and its page show.
type storyRow struct {
	*story.Story
	Platforms []string // 「微博 12」, most items first
	Span      string   // 「03-10 09:00 – 12:40」
	Sentiment string   // 「正 3 · 中 1 · 负 9」
}

type storyPage struct {
	Window window
	storyRow
	Chart template.HTML
	// Items are its most engaged items (at most storyItemsShown).
	Items []trustwatch.Item
}

func (s *Server) handleStories(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	win, err := s.storiesWindow(ctx, q)
	if err != nil {
		s.error(w, r, err)
		return
	}
	start := time.Now()
	all, err := s.stories(ctx, win)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := storiesPage{Window: win, Order: "count", Total: len(all)}
	ranked := make([]*story.Story, len(all))
	for i := range all {
		ranked[i] = &all[i]
	}
	if q.Get("order") == "engagement" {
		p.Order = "engagement"
		slices.SortStableFunc(ranked, func(a, b *story.Story) int { return cmp.Compare(b.Engagement, a.Engagement) })
	}
	for _, st := range ranked[:min(len(ranked), storiesShown)] {
		p.Rows = append(p.Rows, s.storyRow(st))
	}
	if p.Chart, err = s.storiesChart(win, ranked[:min(len(ranked), storiesCharted)]); err != nil {
		s.error(w, r, err)
		return
	}
	p.Elapsed = time.Since(start).Round(time.Millisecond)
	s.render(w, r, http.StatusOK, "stories", "事件", p)
}

func (s *Server) handleStory(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	win, err := s.storiesWindow(ctx, r.URL.Query())
	if err != nil {
		s.error(w, r, err)
		return
	}
	all, err := s.stories(ctx, win)
	if err != nil {
		s.error(w, r, err)
		return
	}
	id := r.PathValue("id")
	i := slices.IndexFunc(all, func(st story.Story) bool { return st.ID == id })
	if i < 0 {
		s.error(w, r, trustwatch.Errorf(trustwatch.ENOTFOUND, "所选时段（%s 至 %s）里没有这个事件：事件由时段内的条目聚成，换一个包含它的时段再试。",
			win.From.In(s.Location).Format("2006-01-02"), win.LastDay().In(s.Location).Format("2006-01-02")))
		return
	}
	st := &all[i]
	p := storyPage{Window: win, storyRow: s.storyRow(st)}
	by := trustwatch.Day
	if st.End().Sub(st.Start()) <= 3*24*time.Hour {
		by = trustwatch.Hour
	}
	c := s.sentimentChartSpec("事件时间线（按情感）", st.Timeline(by, s.Location), by, 1100, 260)
	c.CompleteUntil = win.Complete
	p.Chart = c.HTML()
	p.Items = slices.Clone(st.Items)
	slices.SortStableFunc(p.Items, func(a, b trustwatch.Item) int { return cmp.Compare(b.Engagement(), a.Engagement()) })
	p.Items = p.Items[:min(len(p.Items), storyItemsShown)]
	s.render(w, r, http.StatusOK, "story", "事件："+cmp.Or(st.Label, excerpt(st.Lead.Body(), 20)), p)
}

// storiesChart draws the volume of stories over the window, one line
// each, by hour or day as the window's length asks (autoPeriod).
func (s *Server) storiesChart(win window, top []*story.Story) (template.HTML, error) {
	if len(top) == 0 {
		return "", nil
	}
	by := autoPeriod(win)
	starts, err := periods(win, by, s.Location)
	if err != nil {
		return "", err
	}
	index := make(map[int64]int, len(starts))
	for i, t := range starts {
		index[t.Unix()] = i
	}
	var names []string
	var series [][]trustwatch.VolumePoint
	for _, st := range top {
		pts := make([]trustwatch.VolumePoint, len(starts))
		for i, t := range starts {
			pts[i].Period = t
		}
		for _, p := range st.Timeline(by, s.Location) {
			if i, ok := index[p.Period.Unix()]; ok {
				pts[i] = p
			}
		}
		names = append(names, cmp.Or(st.Label, excerpt(st.Lead.Body(), 12)))
		series = append(series, pts)
	}
	return s.linesChart(fmt.Sprintf("前 %d 个事件的声量", len(top)), names, series, by, 1100, 260, win.Complete), nil
}

// storiesWindow is the page's window (params.go), at most
// maxStoriesWindow long.
func (s *Server) storiesWindow(ctx context.Context, q url.Values) (window, error) {
	win, err := s.window(ctx, q)
	if err != nil {
		return win, err
	}
	if win.To.Sub(win.From) > maxStoriesWindow {
		return win, trustwatch.Errorf(trustwatch.EINVALID, "时段超过 %d 天：聚合事件要读取时段内的每一条。", int(maxStoriesWindow/(24*time.Hour)))
	}
	return win, nil
}

// stories clusters the window's items (results.Computer.Stories) once
// per window and data version (memo.go); the default window's are
// precomputed. Callers must not change the stories.
func (s *Server) stories(ctx context.Context, win window) ([]story.Story, error) {
	return remember(ctx, s, results.StoriesKey(win.From, win.To), func() ([]story.Story, error) {
		return s.computer().Stories(ctx, win.From, win.To)
	})
}

// spikeCoordination is the coordination evidence of a volume or negative
// spike alert: over the items of its entity (and aspect; the negative ones
// for a negative spike) in the spikeSpan from its latest spike, with the
// story.Background before as the accounts seen earlier. Nil for other
// alerts.
func (s *Server) spikeCoordination(ctx context.Context, a *trustwatch.Alert) (*story.Coordination, error) {
	if a.Kind != burst.KindVolumeSpike && a.Kind != burst.KindSentimentSpike {
		return nil, nil
	}
	key := fmt.Sprintf("spike-coordination:%s@%d", a.ID, a.Updated.Unix())
	return remember(ctx, s, key, func() (*story.Coordination, error) {
		f := trustwatch.ItemFilter{Entity: a.Entity, Aspect: a.Subject}
		if a.Kind == burst.KindSentimentSpike {
			f.Label = trustwatch.Negative
		}
		return s.computer().Coordination(ctx, f, a.Updated, a.Updated.Add(spikeSpan))
	})
}

func (s *Server) storyRow(st *story.Story) storyRow {
	row := storyRow{Story: st, Span: s.spanText(st.Start(), st.End()),
		Sentiment: sentimentMix(st.Pos, st.Neu, st.Neg)}
	for _, p := range st.Platforms {
		row.Platforms = append(row.Platforms, label.Platform(p.Key)+" "+label.Int(int64(p.Count)))
	}
	return row
}

// storyURL is a story's page within the window it was found in: a story
// is found again by the id of its earliest item in that window.
func storyURL(id string, win window) string {
	v := url.Values{}
	v.Set("from", win.From.Format(time.RFC3339))
	v.Set("to", win.To.Format(time.RFC3339))
	return "/stories/" + url.PathEscape(id) + "?" + v.Encode()
}

// spanText writes a story's time span for its row: 「03-10 09:00 – 12:40」
// on one day, with both dates otherwise.
func (s *Server) spanText(a, b time.Time) string {
	a, b = a.In(s.Location), b.In(s.Location)
	if a.YearDay() == b.YearDay() && a.Year() == b.Year() {
		return a.Format("01-02 15:04") + " – " + b.Format("15:04")
	}
	return a.Format("01-02 15:04") + " – " + b.Format("01-02 15:04")
}

// sentimentMix writes pos/neu/neg counts as 「正 3 · 中 1 · 负 9」.
func sentimentMix(pos, neu, neg int) string {
	return "正 " + strconv.Itoa(pos) + " · 中 " + strconv.Itoa(neu) + " · 负 " + strconv.Itoa(neg)
}

// signalRow is one row of the coordination partial: a signal with its
// Chinese name.
type signalRow struct {
	Name   string
	Signal story.Signal
}
