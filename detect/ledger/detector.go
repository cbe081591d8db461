package ledger

import (
	"context"

	"trustwatch"
)

// Detector finds claims in default and say-do gaps.
type Detector struct{}

// Name is "ledger".
func (Detector) Name() string { return "ledger" }

// Kinds are the claim defaulting, the claim defaulted and the say-do gap.
func (Detector) Kinds() []trustwatch.DetectionKind {
	return []trustwatch.DetectionKind{
		{Kind: KindDefaulting, Label: "承诺违约中", Severity: trustwatch.SeverityMedium},
		{Kind: KindDefault, Label: "承诺违约", Severity: trustwatch.SeverityHigh},
		{Kind: KindSayDoGap, Label: "言行不一", Severity: trustwatch.SeverityMedium},
	}
}

// Detect accounts every claim and value as of in.To; the ledger dates
// each turn of a claim's status itself, so one pass covers the period.
func (Detector) Detect(ctx context.Context, in trustwatch.DetectInput) ([]trustwatch.Detection, error) {
	return Options{Location: in.Location}.Detect(ctx, in.Items, in.Events, in.Watch, in.To)
}
