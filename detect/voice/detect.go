package voice

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"trustwatch"
)

// KindPredictable is the detection kind Detect raises.
const KindPredictable = "voice.predictable"

// Detection thresholds, where the watch file's rules are silent.
const (
	DefaultLookback = 180 * 24 * time.Hour
	// A drop of self cross-entropy from the early to the late half of at
	// least 10% is reported (medium), of 25% or more as high.
	predictableDrop     = 0.10
	predictableDropHigh = 0.25
	// A fatigue share of 10% among at least 30 replies is reported
	// (medium), of 25% or more as high.
	fatigueMinReplies = 30
	fatigueShare      = 0.10
	fatigueShareHigh  = 0.25
	evidenceLimit     = 10
)

// Detect analyses every watched entity that declares accounts over the
// lookback before now and returns voice.predictable detections: one when
// the voice became markedly more predictable to its own history, one when
// many replies express fatigue or parody. Rules with detector "voice" (or
// "voice.predictable") choose the entities, lookback and severity; without
// any, every entity with accounts is analysed with the defaults.
func Detect(ctx context.Context, items trustwatch.ItemStore, w *trustwatch.Watch, now time.Time) ([]trustwatch.Detection, error) {
	type job struct {
		rule     trustwatch.Rule
		entity   string
		lookback time.Duration
	}
	var jobs []job
	for _, r := range w.Rules {
		if r.Detector != "voice" && r.Detector != KindPredictable {
			continue
		}
		lb := cmp.Or(r.Lookback.D(), DefaultLookback)
		for _, e := range w.Entities {
			if len(e.Accounts) > 0 && (r.Entity == "" || r.Entity == e.ID) {
				jobs = append(jobs, job{r, e.ID, lb})
			}
		}
	}
	if len(jobs) == 0 {
		for _, e := range w.Entities {
			if len(e.Accounts) > 0 {
				jobs = append(jobs, job{entity: e.ID, lookback: DefaultLookback})
			}
		}
	}
	var out []trustwatch.Detection
	for _, j := range jobs {
		p, err := Analyze(ctx, items, w, j.entity, Options{From: now.Add(-j.lookback), To: now})
		if err != nil {
			return nil, err
		}
		for _, d := range p.Detections(now) {
			d.Rule = j.rule.ID
			if j.rule.Severity != "" {
				d.Severity = j.rule.Severity
			}
			out = append(out, d)
		}
	}
	return out, nil
}

// Detections returns the findings the profile supports, judged at now.
func (p *Profile) Detections(now time.Time) []trustwatch.Detection {
	var out []trustwatch.Detection
	if p.Early != nil && p.Late != nil && p.Early.SelfBits > 0 {
		drop := 1 - p.Late.SelfBits/p.Early.SelfBits
		if drop >= predictableDrop {
			// The finding is dated by the last post it rests on, not by
			// when the analysis ran.
			at := now
			if len(p.Points) > 0 {
				at = p.Points[len(p.Points)-1].Time
			}
			d := trustwatch.Detection{Kind: KindPredictable, Entity: p.Entity, Subject: "self_bits", Time: at,
				Value: p.Late.SelfBits, Severity: trustwatch.SeverityMedium,
				Statement: fmt.Sprintf("「%s」的发帖越来越可预测: 相对自己过往帖子的交叉熵 %.2f → %.2f 比特/字 (−%.0f%%, n=%d 帖)",
					cmp.Or(p.Name, p.Entity), p.Early.SelfBits, p.Late.SelfBits, 100*drop, p.TrendN)}
			if drop >= predictableDropHigh {
				d.Severity = trustwatch.SeverityHigh
			}
			late := slices.Clone(p.Points[len(p.Points)-p.Late.N:])
			slices.SortFunc(late, func(a, b Point) int { return cmp.Compare(a.SelfBits, b.SelfBits) })
			for _, pt := range late[:min(len(late), evidenceLimit)] {
				d.Evidence = append(d.Evidence, trustwatch.Evidence{ItemID: pt.ItemID, Time: pt.Time, Value: pt.SelfBits,
					Note: fmt.Sprintf("%.2f bits/char against own history, %.2f against the crowd", pt.SelfBits, pt.CrowdBits)})
			}
			out = append(out, d)
		}
	}
	if p.Replies >= fatigueMinReplies && p.FatigueShare >= fatigueShare {
		at := now
		if len(p.Points) > 0 {
			at = p.Points[len(p.Points)-1].Time
		}
		for _, r := range p.FatigueReplies {
			if r.Time.After(at) {
				at = r.Time
			}
		}
		d := trustwatch.Detection{Kind: KindPredictable, Entity: p.Entity, Subject: "fatigue", Time: at,
			Value: p.FatigueShare, Severity: trustwatch.SeverityMedium,
			Statement: fmt.Sprintf("「%s」帖子下 %.0f%% 的回复表达厌倦或戏仿 (n=%d 条回复中 %d 条)",
				cmp.Or(p.Name, p.Entity), 100*p.FatigueShare, p.Replies, p.Fatigue)}
		if p.FatigueShare >= fatigueShareHigh {
			d.Severity = trustwatch.SeverityHigh
		}
		for _, r := range p.FatigueReplies[:min(len(p.FatigueReplies), evidenceLimit)] {
			d.Evidence = append(d.Evidence, trustwatch.Evidence{ItemID: r.ItemID, Time: r.Time, Note: r.Marker})
		}
		out = append(out, d)
	}
	return out
}
