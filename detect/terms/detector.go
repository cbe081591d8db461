package terms

import (
	"context"

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
// emerging on the days its link to the person was weaker.
func (Detector) Detect(ctx context.Context, in trustwatch.DetectInput) ([]trustwatch.Detection, error) {
	var all []trustwatch.Detection
	nickname := map[string]bool{}
	for _, step := range trustwatch.ReplayTimes(in.From, in.To, in.Location, false) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ds, err := Detect(ctx, in.Items, in.Watch, step.At, in.Known)
		if err != nil {
			return nil, err
		}
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
