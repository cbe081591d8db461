package sla

import (
	"context"

	"trustwatch"
	"trustwatch/detect/metric"
)

// Detector runs the watch file's sla rules over their series.
type Detector struct{}

// Name is "sla".
func (Detector) Name() string { return DetectorSLA }

// Kinds is the breach.
func (Detector) Kinds() []trustwatch.DetectionKind {
	return []trustwatch.DetectionKind{
		{Kind: KindBreach, Label: "SLA 超标", Severity: trustwatch.SeverityMedium, Rule: DetectorSLA},
	}
}

// Detect runs every sla rule over all of its series' stored points.
func (Detector) Detect(ctx context.Context, in trustwatch.DetectInput) ([]trustwatch.Detection, error) {
	return metric.RunRules(ctx, in, func(d string) bool { return d == DetectorSLA }, Detect)
}
