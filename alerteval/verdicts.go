package alerteval

import (
	"fmt"
	"io"
	"math"
	"sort"

	"trustwatch"
)

// KindPrecision is the precision of one alert kind as the analysts judged
// it. An alert is judged when it is marked a false alarm or resolved
// without that mark (a real alarm, dealt with); an open alert without a
// verdict is not judged yet and counts in Open only.
type KindPrecision struct {
	Kind        string `json:"kind"`
	Alerts      int    `json:"alerts"`
	Judged      int    `json:"judged"`
	FalseAlarms int    `json:"false_alarms"`
	Open        int    `json:"open"`
	// Precision is (Judged − FalseAlarms) / Judged; nil with nothing judged.
	Precision *float64 `json:"precision"`
}

// VerdictReport is the precision of the stored alerts by the analysts'
// verdicts, per kind (by kind name) and over all of them.
type VerdictReport struct {
	Scope []string        `json:"scope"`
	From  string          `json:"from,omitempty"`
	To    string          `json:"to,omitempty"`
	Kinds []KindPrecision `json:"kinds"`
	Total KindPrecision   `json:"total"`
}

// FromVerdicts measures precision per alert kind from verdicts, with no
// file of expected events: the alerts in opt's scope (opt.Kinds, every
// kind when empty) and days (opt.From, opt.To in opt.Location) against
// the false-alarm verdicts among them. Tolerance is not used.
func FromVerdicts(alerts []trustwatch.Alert, verdicts []trustwatch.Verdict, opt Options) (*VerdictReport, error) {
	loc := opt.Location
	if loc == nil {
		loc = trustwatch.DefaultLocation()
	}
	from, to := civil(math.MinInt32), civil(math.MaxInt32)
	var err error
	if opt.From != "" {
		if from, err = parseCivil(opt.From); err != nil {
			return nil, fmt.Errorf("from: %w", err)
		}
	}
	if opt.To != "" {
		if to, err = parseCivil(opt.To); err != nil {
			return nil, fmt.Errorf("to: %w", err)
		}
	}
	falseAlarm := make(map[string]bool, len(verdicts))
	for _, v := range verdicts {
		falseAlarm[v.Alert] = true
	}
	rep := &VerdictReport{Scope: append([]string{}, opt.Kinds...), From: opt.From, To: opt.To, Kinds: []KindPrecision{}}
	byKind := map[string]*KindPrecision{}
	for _, a := range alerts {
		if d := civilOf(a.Opened, loc); d < from || d > to || !inKinds(opt.Kinds, a.Kind) {
			continue
		}
		k := byKind[a.Kind]
		if k == nil {
			k = &KindPrecision{Kind: a.Kind}
			byKind[a.Kind] = k
		}
		for _, c := range []*KindPrecision{k, &rep.Total} {
			c.Alerts++
			switch {
			case falseAlarm[a.ID]:
				c.Judged++
				c.FalseAlarms++
			case a.Resolved != nil:
				c.Judged++
			default:
				c.Open++
			}
		}
	}
	for _, k := range byKind {
		k.Precision = judgedPrecision(*k)
		rep.Kinds = append(rep.Kinds, *k)
	}
	sort.Slice(rep.Kinds, func(i, j int) bool { return rep.Kinds[i].Kind < rep.Kinds[j].Kind })
	rep.Total.Kind = "all"
	rep.Total.Precision = judgedPrecision(rep.Total)
	return rep, nil
}

// judgedPrecision is the share of judged alerts that were real; nil with
// none judged.
func judgedPrecision(k KindPrecision) *float64 {
	if k.Judged == 0 {
		return nil
	}
	return ratio(k.Judged-k.FalseAlarms, k.Judged)
}

// inKinds reports whether kind is in scope: any pattern matches, or there
// are none.
func inKinds(patterns []string, kind string) bool {
	for _, p := range patterns {
		if kindMatches(p, kind) {
			return true
		}
	}
	return len(patterns) == 0
}

// WriteText writes the report as a table, one kind a line, then the total.
func (r *VerdictReport) WriteText(w io.Writer) {
	fmt.Fprintf(w, "precision by analysts' verdicts (judged = marked false alarm, or resolved without the mark)\n")
	fmt.Fprintf(w, "%-24s %7s %7s %7s %7s %9s\n", "kind", "alerts", "judged", "false", "open", "precision")
	for _, k := range append(r.Kinds, r.Total) {
		fmt.Fprintf(w, "%-24s %7d %7d %7d %7d %9s\n", k.Kind, k.Alerts, k.Judged, k.FalseAlarms, k.Open, Pct(k.Precision))
	}
}
