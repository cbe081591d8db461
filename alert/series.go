package alert

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"trustwatch"
	"trustwatch/detect/metric"
	"trustwatch/detect/sla"
	"trustwatch/detect/spc"
)

// IsSeriesDetector reports whether detector runs over a metric series
// (low, high, drawdown, change, anomaly, sla, spc).
func IsSeriesDetector(detector string) bool {
	return metric.Handles(detector) || detector == sla.DetectorSLA || detector == spc.DetectorSPC
}

// RunSeries runs the series detector of every rule that names a series over
// all of that series' stored points, in loc (the watch file's zone), and
// returns their detections. A rule that fails (an unknown series, a bad
// threshold, bad points) does not stop the others: its error is returned
// joined with the rest, beside the detections of the rules that worked.
func RunSeries(ctx context.Context, store trustwatch.SeriesStore, w *trustwatch.Watch, loc *time.Location) ([]trustwatch.Detection, error) {
	if loc == nil {
		loc = trustwatch.DefaultLocation()
	}
	var dets []trustwatch.Detection
	var errs []error
	points := map[string][]trustwatch.Point{}
	for _, r := range w.Rules {
		if r.Series == "" {
			if IsSeriesDetector(r.Detector) {
				errs = append(errs, trustwatch.Errorf(trustwatch.EINVALID, "rule %s: detector %s needs a series", r.ID, r.Detector))
			}
			continue
		}
		i := slices.IndexFunc(w.Series, func(s trustwatch.SeriesDef) bool { return s.ID == r.Series })
		if i < 0 {
			errs = append(errs, trustwatch.Errorf(trustwatch.EINVALID, "rule %s: series %q is not declared", r.ID, r.Series))
			continue
		}
		def := w.Series[i]
		pts, ok := points[def.ID]
		if !ok {
			var err error
			if pts, err = store.Points(ctx, trustwatch.PointFilter{Series: def.ID}); err != nil {
				return dets, fmt.Errorf("alert: points of %s: %w", def.ID, err)
			}
			slices.SortStableFunc(pts, func(a, b trustwatch.Point) int { return a.Time.Compare(b.Time) })
			points[def.ID] = pts
		}
		var found []trustwatch.Detection
		var err error
		switch {
		case metric.Handles(r.Detector):
			found, err = metric.Detect(pts, def, r, loc)
		case r.Detector == sla.DetectorSLA:
			found, err = sla.Detect(pts, def, r, loc)
		case r.Detector == spc.DetectorSPC:
			found, err = spc.Detect(pts, def, r, loc)
		default:
			err = trustwatch.Errorf(trustwatch.EINVALID, "rule %s: detector %q does not run over a series", r.ID, r.Detector)
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		dets = append(dets, found...)
	}
	return dets, errors.Join(errs...)
}
