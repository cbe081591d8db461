package alerteval

import (
	"fmt"
	"io"
	"strings"
)

// Pct writes a ratio as 0.xx, or n/a when it is undefined.
func Pct(p *float64) string {
	if p == nil {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", *p)
}

// PrecisionText is the precision as a reader should see it: n/a with the
// number of false alarms when no event was expected.
func (r *Report) PrecisionText() string {
	if r.Precision == nil && r.Events == 0 {
		return fmt.Sprintf("n/a (%d false alarms)", r.FalseAlarms)
	}
	return Pct(r.Precision)
}

// DayErrorText is "mean/max (signed mean)" in days, or - without matches.
func (r *Report) DayErrorText() string {
	if r.DayError == nil {
		return "-"
	}
	return fmt.Sprintf("%.1f/%d (%+.1f)", r.DayError.Mean, r.DayError.Max, r.DayError.MeanSigned)
}

// WriteText writes the report for people: the figures, then the matches,
// the missed events and the unmatched alerts (at most maxList of the
// latter; 0 lists them all).
func (r *Report) WriteText(w io.Writer, maxList int) {
	scope := "every kind"
	if len(r.Scope) > 0 {
		scope = strings.Join(r.Scope, ", ")
	}
	span := ""
	if r.From != "" || r.To != "" {
		span = fmt.Sprintf(", days %s … %s", orDash(r.From), orDash(r.To))
	}
	fmt.Fprintf(w, "scope: %s; tolerance ±%dd%s\n", scope, r.Tolerance, span)
	fmt.Fprintf(w, "expected events  %d\n", r.Events)
	fmt.Fprintf(w, "alerts in scope  %d (%d matched, %d redundant, %d false alarms; %d of other kinds or days)\n",
		r.Alerts, r.Matched, r.Redundant, r.FalseAlarms, r.OutOfScope)
	fmt.Fprintf(w, "precision        %s", r.PrecisionText())
	if r.PrecisionRedundantOK != nil {
		fmt.Fprintf(w, " (%s counting redundant alerts as right)", Pct(r.PrecisionRedundantOK))
	}
	fmt.Fprintf(w, "\nrecall           %s\n", Pct(r.Recall))
	if d := r.DayError; d != nil {
		fmt.Fprintf(w, "day error        mean %.2f, max %d, signed mean %+.2f (negative: early)\n", d.Mean, d.Max, d.MeanSigned)
	}
	if len(r.Matches) > 0 {
		fmt.Fprintln(w, "matched:")
		for _, m := range r.Matches {
			fmt.Fprintf(w, "  %s %-16s %-12s %+dd  %s %s %s\n", m.Event.Day, m.Event.Kind, orDash(m.Event.Entity), m.Days,
				m.Alert.Day, m.Alert.Kind, alertWhat(m.Alert))
		}
	}
	if len(r.Missed) > 0 {
		fmt.Fprintln(w, "missed:")
		for _, e := range r.Missed {
			fmt.Fprintf(w, "  %s %-16s %-12s %s\n", e.Day, e.Kind, orDash(e.Entity), e.Term)
		}
	}
	if len(r.Unmatched) > 0 {
		fmt.Fprintln(w, "unmatched alerts:")
		for i, u := range r.Unmatched {
			if maxList > 0 && i == maxList {
				fmt.Fprintf(w, "  … %d more\n", len(r.Unmatched)-maxList)
				break
			}
			what := "false alarm"
			if u.Redundant {
				what = "redundant"
			}
			fmt.Fprintf(w, "  %s %-16s %-11s %s  %s\n", u.Day, u.Kind, what, alertWhat(u.AlertRef), u.Statement)
		}
	}
}

func alertWhat(a AlertRef) string {
	s := orDash(a.Entity)
	if a.Subject != "" {
		s += "/" + a.Subject
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
