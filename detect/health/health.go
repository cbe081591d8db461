package health

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"trustwatch"
)

// Kinds of finding.
const (
	KindSilent   = "source.silent"
	KindFailing  = "source.failing"
	KindBadInput = "source.bad_input"
)

// Defaults of Detector's zero fields.
const (
	DefaultFirstDay  = 24 * time.Hour
	DefaultFailures  = 3
	DefaultBadShare  = 0.2
	DefaultBadMin    = 10
	DefaultBadRounds = 10
	DefaultInterval  = 5 * time.Minute
	cadenceFactor    = 3
	minStoringRounds = 4
	historyRounds    = 2000
	silentSeverity   = trustwatch.SeverityHigh
	failingSeverity  = trustwatch.SeverityHigh
	badInputSeverity = trustwatch.SeverityMedium
)

// Detector judges source health. The zero value uses the defaults.
type Detector struct {
	// FirstDay is how long after its first round a source never alarms.
	FirstDay time.Duration
	// Failures is how many consecutive failed rounds are source.failing.
	Failures int
}

// Name implements trustwatch.Detector.
func (Detector) Name() string { return "health" }

// Kinds implements trustwatch.Detector.
func (Detector) Kinds() []trustwatch.DetectionKind {
	return []trustwatch.DetectionKind{
		{Kind: KindSilent, Label: "数据源静默", Severity: silentSeverity},
		{Kind: KindFailing, Label: "数据源故障", Severity: failingSeverity},
		{Kind: KindBadInput, Label: "数据源输入异常", Severity: badInputSeverity},
	}
}

// Detect implements trustwatch.Detector.
func (d Detector) Detect(ctx context.Context, in trustwatch.DetectInput) ([]trustwatch.Detection, error) {
	if in.Sources == nil || in.Watch == nil {
		return nil, nil
	}
	loc := cmp.Or(in.Location, trustwatch.DefaultLocation())
	var out []trustwatch.Detection
	for _, src := range in.Watch.Sources {
		if src.ID == "" {
			continue
		}
		rounds, err := in.Sources.SourceRounds(ctx, trustwatch.SourceRoundFilter{Source: src.ID, Limit: historyRounds})
		if err != nil {
			return nil, fmt.Errorf("health: rounds of %s: %w", src.ID, err)
		}
		if len(rounds) == 0 {
			continue
		}
		now := in.To
		if now.IsZero() {
			now = rounds[len(rounds)-1].Started
		}
		if now.Sub(rounds[0].Started) < cmp.Or(d.FirstDay, DefaultFirstDay) {
			continue
		}
		for _, f := range []func(trustwatch.Source, []trustwatch.SourceRound, time.Time, *time.Location) (trustwatch.Detection, bool){
			d.silent, d.failing, d.badInput,
		} {
			if det, ok := f(src, rounds, now, loc); ok && !det.Time.After(now) && (in.From.IsZero() || !det.Time.Before(in.From)) {
				out = append(out, det)
			}
		}
	}
	return out, nil
}

// Threshold is how long src may go without storing anything: its expect,
// else its learned cadence (0 when there is too little history to learn).
func Threshold(src trustwatch.Source, rounds []trustwatch.SourceRound) time.Duration {
	if src.Expect > 0 {
		return src.Expect.D()
	}
	var storing []time.Time
	for _, r := range rounds {
		if r.Stored > 0 {
			storing = append(storing, r.Started)
		}
	}
	if len(storing) < minStoringRounds {
		return 0
	}
	gaps := make([]time.Duration, 0, len(storing)-1)
	for i := 1; i < len(storing); i++ {
		gaps = append(gaps, storing[i].Sub(storing[i-1]))
	}
	slices.Sort(gaps)
	median := gaps[len(gaps)/2]
	if len(gaps)%2 == 0 {
		median = (gaps[len(gaps)/2-1] + gaps[len(gaps)/2]) / 2
	}
	interval := cmp.Or(src.Interval.D(), DefaultInterval)
	return max(cadenceFactor*median, cadenceFactor*interval)
}

func (d Detector) silent(src trustwatch.Source, rounds []trustwatch.SourceRound, now time.Time, loc *time.Location) (trustwatch.Detection, bool) {
	limit := Threshold(src, rounds)
	if limit <= 0 {
		return trustwatch.Detection{}, false
	}
	// The last time data flowed; a source that never stored anything has
	// been silent since its first round.
	since, ever := rounds[0].Started, false
	for _, r := range rounds {
		if r.Stored > 0 {
			since, ever = r.Started, true
		}
	}
	quiet := now.Sub(since)
	if quiet <= limit {
		return trustwatch.Detection{}, false
	}
	last := "从未收到数据"
	if ever {
		last = "最后一次收到数据：" + since.In(loc).Format("2006-01-02 15:04:05")
	}
	return trustwatch.Detection{
		Kind: KindSilent, Subject: src.ID, Time: since.Add(limit), Value: quiet.Hours(),
		Severity:  silentSeverity,
		Statement: fmt.Sprintf("数据源「%s」已静默 %s（预期至少每 %s 有新数据）；%s", src.ID, human(quiet), human(limit), last),
	}, true
}

func (d Detector) failing(src trustwatch.Source, rounds []trustwatch.SourceRound, now time.Time, loc *time.Location) (trustwatch.Detection, bool) {
	n := cmp.Or(d.Failures, DefaultFailures)
	streak := 0
	for i := len(rounds) - 1; i >= 0 && rounds[i].Err != ""; i-- {
		streak++
	}
	if streak < n {
		return trustwatch.Detection{}, false
	}
	first := rounds[len(rounds)-streak]
	lastErr := rounds[len(rounds)-1].Err
	good := "此前没有成功的轮次"
	if i := len(rounds) - streak - 1; i >= 0 {
		good = "最后一次成功：" + rounds[i].Started.In(loc).Format("2006-01-02 15:04:05")
	}
	return trustwatch.Detection{
		Kind: KindFailing, Subject: src.ID, Time: first.Started, Value: float64(streak),
		Severity:  failingSeverity,
		Statement: fmt.Sprintf("数据源「%s」连续 %d 轮读取失败；最近的错误：%s；%s", src.ID, streak, lastErr, good),
	}, true
}

func (d Detector) badInput(src trustwatch.Source, rounds []trustwatch.SourceRound, now time.Time, loc *time.Location) (trustwatch.Detection, bool) {
	recent := rounds[max(0, len(rounds)-DefaultBadRounds):]
	read, bad := 0, 0
	for _, r := range recent {
		read += r.Read
		bad += r.Quarantined
	}
	if read == 0 || bad < DefaultBadMin || float64(bad)/float64(read) < DefaultBadShare {
		return trustwatch.Detection{}, false
	}
	share := float64(bad) / float64(read)
	// The newest round that quarantined something: the episode goes on as
	// long as bad input keeps coming.
	var at time.Time
	for _, r := range recent {
		if r.Quarantined > 0 {
			at = r.Started
		}
	}
	return trustwatch.Detection{
		Kind: KindBadInput, Subject: src.ID, Time: at, Value: share,
		Severity: badInputSeverity,
		Statement: fmt.Sprintf("数据源「%s」最近 %d 轮读入 %d 条，其中 %d 条无法读取被隔离（%.0f%%，阈值 %.0f%%）；见隔离区",
			src.ID, len(recent), read, bad, 100*share, 100*DefaultBadShare),
	}, true
}

// human writes a duration the way the statements read: 3小时20分, 45秒.
func human(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%.1f 天", d.Hours()/24)
	case d >= time.Hour:
		return fmt.Sprintf("%d小时%d分", int(d.Hours()), int(d.Minutes())%60)
	case d >= time.Minute:
		return fmt.Sprintf("%d分%d秒", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%.1f秒", d.Seconds())
}
