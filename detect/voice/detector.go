package voice

import (
	"context"

	"trustwatch"
)

// Detector finds a spokesperson's voice turning predictable, and fatigue
// in the replies.
type Detector struct{}

// Name is "voice".
func (Detector) Name() string { return "voice" }

// Kinds is the predictable voice.
func (Detector) Kinds() []trustwatch.DetectionKind {
	return []trustwatch.DetectionKind{
		{Kind: KindPredictable, Label: "话术可预测", Severity: trustwatch.SeverityMedium},
	}
}

// Detect analyses the look-back before in.To; its findings carry their
// own dates.
func (Detector) Detect(ctx context.Context, in trustwatch.DetectInput) ([]trustwatch.Detection, error) {
	return Detect(ctx, in.Items, in.Watch, in.To)
}
