package terms

import (
	"context"
	"fmt"
	"time"

	"trustwatch"
)

// Detector finds new terms and nicknames of watched people.
type Detector struct{}

// Name is "terms".
func (Detector) Name() string { return "terms" }

// Kinds are the emerging term (information) and the nickname (the alarm).
func (Detector) Kinds() []trustwatch.DetectionKind {
	return []trustwatch.DetectionKind{
		{Kind: KindEmerging, Label: "新词", Severity: trustwatch.SeverityLow},
		{Kind: KindNickname, Label: "外号", Severity: trustwatch.SeverityHigh},
	}
}

// Detect replays Detect at the end of every day of [in.From, in.To). A
// term found as a nickname on any day is not also reported as merely
// emerging on the days its link to the person was weaker. Each day's items
// are read from the store once (dayDocs) and kept while some later day's
// background needs them; the findings are Detect's, day by day.
func (Detector) Detect(ctx context.Context, in trustwatch.DetectInput) ([]trustwatch.Detection, error) {
	loc, err := location(in.Watch)
	if err != nil {
		return nil, err
	}
	first, _, n, err := in.Items.Span(ctx)
	if err != nil {
		return nil, fmt.Errorf("terms: span: %w", err)
	}
	days := newDayDocs(ctx, in.Items, in.Watch, loc)
	var all []trustwatch.Detection
	nickname := map[string]bool{}
	for _, step := range trustwatch.ReplayTimes(in.From, in.To, in.Location, false) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ds, err := detectBetween(days, first, n, in.Watch, step.At, in.Known, loc)
		if err != nil {
			return nil, err
		}
		// Later steps look no further back than this step's background.
		days.forget(dayIndex(step.At.Add(-time.Nanosecond), loc) - DefaultBackgroundDays)
		for _, d := range ds {
			if d.Kind == KindNickname {
				nickname[d.Subject] = true
			}
		}
		all = append(all, ds...)
	}
	out := all[:0]
	for _, d := range all {
		if d.Kind == KindEmerging && nickname[d.Subject] {
			continue
		}
		out = append(out, d)
	}
	return out, nil
}
