package web

import (
	"html/template"
	"net/http"
	"time"

	"trustwatch"
	"trustwatch/chart"
	"trustwatch/detect/voice"
	"trustwatch/results"
)

type voicePage struct {
	Entity  trustwatch.Entity
	Window  window
	Profile *voice.Profile
	Chart   template.HTML
	Scored  int // points with full history
	Warmup  int
}

// hasVoice reports whether the voice page applies to an entity: it must
// declare the accounts it posts under.
func hasVoice(e *trustwatch.Entity) bool { return e != nil && len(e.Accounts) > 0 }

func (s *Server) handleVoice(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("entity")
	e := s.Watch.Entity(id)
	if e == nil {
		s.error(w, r, trustwatch.Errorf(trustwatch.ENOTFOUND, "Entity %q is not in the watch file.", id))
		return
	}
	q := r.URL.Query()
	qq := q
	if q.Get("from") == "" {
		// The voice needs months of posts, not the pages' 30 days.
		qq = cloneValues(q)
		win, err := s.window(ctx, q)
		if err != nil {
			s.error(w, r, err)
			return
		}
		qq.Set("from", win.To.Add(-voice.DefaultLookback).In(s.Location).Format(time.RFC3339))
	}
	win, err := s.window(ctx, qq)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := voicePage{Entity: *e, Window: win}
	if hasVoice(e) {
		p.Profile, err = remember(ctx, s, results.VoiceKey(id, win.From, win.To), func() (*voice.Profile, error) {
			return s.computer().Voice(ctx, id, win.From, win.To)
		})
		if err != nil {
			s.error(w, r, err)
			return
		}
		p.Chart, p.Scored, p.Warmup = s.voiceChart(p.Profile)
	}
	s.render(w, r, http.StatusOK, "voice", e.Name+" 的话术", p)
}

// voiceChart draws each post's cross-entropy against the account's own
// history and against the crowd. Posts scored while the history was still
// filling (warm-up) are left out, as they are of the trend.
func (s *Server) voiceChart(p *voice.Profile) (template.HTML, int, int) {
	var ts []time.Time
	var self, crowd []float64
	warm := 0
	for _, pt := range p.Points {
		if pt.Warmup {
			warm++
			continue
		}
		ts = append(ts, pt.Time)
		self = append(self, pt.SelfBits)
		crowd = append(crowd, pt.CrowdBits)
	}
	c := &chart.Chart{Title: "每条发文的交叉熵（比特/字，越低越可预测）", Width: 1100, Height: 300, Location: s.Location,
		Left:  chart.Axis{Label: "比特/字", IncludeZero: true},
		Empty: "历史发文不足，无法计算"}
	if len(ts) > 0 {
		c.Lines = []chart.Series{
			{Name: "对自己历史", Times: ts, Values: self, Color: "#c23b3b"},
			{Name: "对其他人", Times: ts, Values: crowd, Color: "#3b6fb6", Dashed: true},
		}
	}
	return c.HTML(), len(ts), warm
}
