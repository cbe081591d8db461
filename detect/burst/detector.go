package burst

import (
	"context"
	"fmt"

	"trustwatch"
)

// Spikes is the detector of volume and negative-share spikes per watched
// entity and per aspect of its items.
type Spikes struct{}

// Name is "spikes".
func (Spikes) Name() string { return "spikes" }

// Kinds are the volume and the sentiment spike.
func (Spikes) Kinds() []trustwatch.DetectionKind {
	return []trustwatch.DetectionKind{
		{Kind: KindVolumeSpike, Label: "声量激增", Severity: trustwatch.SeverityMedium},
		{Kind: KindSentimentSpike, Label: "负面激增", Severity: trustwatch.SeverityMedium},
	}
}

// Detect replays DetectSpikes at the end of every day of [in.From, in.To)
// and hour by hour over its last day, so each spike carries the day (or,
// lately, the hour) it happened.
func (Spikes) Detect(ctx context.Context, in trustwatch.DetectInput) ([]trustwatch.Detection, error) {
	// The span is the same at every step (nothing is stored meanwhile),
	// and asking the store for it costs more than a step's own queries.
	first, _, n, err := in.Items.Span(ctx)
	if err != nil {
		return nil, fmt.Errorf("burst: span: %w", err)
	}
	var out []trustwatch.Detection
	for _, step := range trustwatch.ReplayTimes(in.From, in.To, in.Location, true) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ds, err := detectSpikes(ctx, in.Items, first, n, in.Watch, step.At, in.Watch.Rules)
		if err != nil {
			return nil, err
		}
		out = append(out, ds...)
	}
	return out, nil
}
