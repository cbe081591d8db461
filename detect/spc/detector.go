package spc

import (
	"context"

	"trustwatch"
	"trustwatch/detect/metric"
)

// Detector runs the watch file's spc rules over their series.
type Detector struct{}

// Name is "spc".
func (Detector) Name() string { return DetectorSPC }

// Kinds are the out-of-control batch and the dispersion ("blind box") index.
func (Detector) Kinds() []trustwatch.DetectionKind {
	return []trustwatch.DetectionKind{
		{Kind: KindOutOfControl, Label: "失控批次", Severity: trustwatch.SeverityMedium, Rule: DetectorSPC},
		{Kind: KindDispersion, Label: "盲盒指数", Severity: trustwatch.SeverityMedium, Rule: DetectorSPC},
	}
}

// Detect runs every spc rule over all of its series' stored points.
func (Detector) Detect(ctx context.Context, in trustwatch.DetectInput) ([]trustwatch.Detection, error) {
	return metric.RunRules(ctx, in, func(d string) bool { return d == DetectorSPC }, Detect)
}
