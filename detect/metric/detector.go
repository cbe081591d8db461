package metric

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"trustwatch"
)

// Detector runs the low, high, drawdown, change and anomaly rules of the
// watch file over their series.
type Detector struct{}

// Name is "metric".
func (Detector) Name() string { return "metric" }

// Kinds lists one kind per rule detector.
func (Detector) Kinds() []trustwatch.DetectionKind {
	return []trustwatch.DetectionKind{
		{Kind: KindLow, Label: "创新低", Severity: trustwatch.SeverityMedium, Rule: DetectorLow},
		{Kind: KindHigh, Label: "创新高", Severity: trustwatch.SeverityMedium, Rule: DetectorHigh},
		{Kind: KindDrawdown, Label: "回撤", Severity: trustwatch.SeverityMedium, Rule: DetectorDrawdown},
		{Kind: KindChange, Label: "窗口变化", Severity: trustwatch.SeverityMedium, Rule: DetectorChange},
		{Kind: KindAnomaly, Label: "异常值", Severity: trustwatch.SeverityMedium, Rule: DetectorAnomaly},
	}
}

// Detect runs every rule this package handles over all of its series'
// stored points.
func (Detector) Detect(ctx context.Context, in trustwatch.DetectInput) ([]trustwatch.Detection, error) {
	return RunRules(ctx, in, Handles, Detect)
}

// RunRules runs detect for every rule of in.Watch whose detector handles
// accepts, over all of the rule's series' stored points sorted by time, in
// in.Location. A rule that fails (an unknown series, a bad threshold, bad
// points) does not stop the others: its error is returned joined with the
// rest, beside the detections of the rules that worked. The sla and spc
// detectors run through it too.
func RunRules(ctx context.Context, in trustwatch.DetectInput, handles func(detector string) bool,
	detect func([]trustwatch.Point, trustwatch.SeriesDef, trustwatch.Rule, *time.Location) ([]trustwatch.Detection, error)) ([]trustwatch.Detection, error) {
	if in.Watch == nil || in.Series == nil {
		return nil, nil
	}
	loc := in.Location
	if loc == nil {
		loc = trustwatch.DefaultLocation()
	}
	var dets []trustwatch.Detection
	var errs []error
	points := map[string][]trustwatch.Point{}
	for _, r := range in.Watch.Rules {
		if !handles(r.Detector) {
			continue
		}
		i := slices.IndexFunc(in.Watch.Series, func(s trustwatch.SeriesDef) bool { return s.ID == r.Series })
		if i < 0 {
			errs = append(errs, trustwatch.Errorf(trustwatch.EINVALID, "rule %s: detector %s needs a declared series, got %q", r.ID, r.Detector, r.Series))
			continue
		}
		def := in.Watch.Series[i]
		pts, ok := points[def.ID]
		if !ok {
			var err error
			if pts, err = in.Series.Points(ctx, trustwatch.PointFilter{Series: def.ID}); err != nil {
				return dets, fmt.Errorf("points of %s: %w", def.ID, err)
			}
			slices.SortStableFunc(pts, func(a, b trustwatch.Point) int { return a.Time.Compare(b.Time) })
			points[def.ID] = pts
		}
		found, err := detect(pts, def, r, loc)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		dets = append(dets, found...)
	}
	return dets, errors.Join(errs...)
}
