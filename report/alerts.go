package report

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"trustwatch"
)

// openAt reports whether the alert was open at t.
func openAt(a *trustwatch.Alert, t time.Time) bool {
	return a.Opened.Before(t) && (a.Resolved == nil || !a.Resolved.Before(t))
}

// alerts turns the alerts open at the end of the period or opened in it
// into findings, one each, in the section of their kind's family; adds a
// summary of the open alerts by severity; and lists alerts resolved in the
// period as held.
func (b *builder) alerts(ctx context.Context) error {
	all, _, err := b.st.FindAlerts(ctx, trustwatch.AlertFilter{})
	if err != nil {
		return fmt.Errorf("report: reading alerts: %w", err)
	}
	from, to := b.opt.From, b.opt.To
	var open, openBefore, resolved []*trustwatch.Alert
	table := Table{ID: "alerts", Title: "Alerts", Note: "Alerts open at the end of the period, opened in it or resolved in it.",
		Columns: []Column{{Title: "Severity"}, {Title: "Kind"}, {Title: "Entity"}, {Title: "Opened"}, {Title: "Resolved"},
			{Title: "Value", Numeric: true, Format: "float"}, {Title: "Statement"}}}
	for i := range all {
		a := &all[i]
		isOpen := openAt(a, to)
		openedIn := !a.Opened.Before(from) && a.Opened.Before(to)
		resolvedIn := a.Resolved != nil && !a.Resolved.Before(from) && a.Resolved.Before(to) && a.Opened.Before(from)
		if openAt(a, from) {
			openBefore = append(openBefore, a)
		}
		if !isOpen && !openedIn && !resolvedIn {
			continue
		}
		b.r.Alerts[a.ID] = a
		link := Link{Kind: LinkAlert, ID: a.ID, Time: a.Opened, Value: a.Value}
		resolvedText := ""
		if a.Resolved != nil && a.Resolved.Before(to) {
			resolvedText = b.r.day(*a.Resolved)
		}
		table.Rows = append(table.Rows, []Cell{{Text: a.Severity, Link: &link}, {Text: a.Kind}, {Text: b.entityName(a.Entity)},
			{Text: b.r.day(a.Opened)}, {Text: resolvedText}, {Value: a.Value, Numeric: true, Link: &link}, {Text: a.Statement}})
		if resolvedIn {
			resolved = append(resolved, a)
			continue
		}
		if isOpen {
			open = append(open, a)
		}
		state := "still open"
		if !isOpen {
			state = "resolved " + b.r.day(*a.Resolved)
		}
		ev := []Link{link}
		items := 0
		for _, e := range a.Evidence {
			if len(ev) >= evidencePerFinding {
				break
			}
			if e.ItemID != "" {
				ev = append(ev, Link{Kind: LinkItem, ID: e.ItemID, Time: e.Time, Value: e.Value, Note: e.Note})
				items++
			} else if e.Series != "" {
				ev = append(ev, Link{Kind: LinkSeries, ID: e.Series, Time: e.Time, Value: e.Value, Note: e.Note})
			}
		}
		b.r.Worse = append(b.r.Worse, Finding{
			ID: "alert:" + a.ID, Section: sectionOfKind(a.Kind),
			Sentence: fmt.Sprintf("%s (%s, %s; opened %s, %s).", strings.TrimRight(a.Statement, "。. "), a.Severity, a.Kind, b.r.day(a.Opened), state),
			Number:   a.Value, N: items, Severity: a.Severity, Open: isOpen, Evidence: ev,
		})
	}
	slices.SortStableFunc(table.Rows, func(x, y []Cell) int {
		return trustwatch.SeverityRank(y[0].Text) - trustwatch.SeverityRank(x[0].Text)
	})
	b.r.Tables = append(b.r.Tables, table)

	summary := Finding{ID: "alerts:open", Section: SectionAlerts, N: len(open)}
	for _, a := range open {
		summary.Evidence = append(summary.Evidence, Link{Kind: LinkAlert, ID: a.ID, Time: a.Opened, Value: a.Value})
		summary.Severity = maxSeverity(summary.Severity, a.Severity)
	}
	summary.Number = float64(len(open))
	change := float64(len(open) - len(openBefore))
	summary.Change = &change
	summary.Open = len(open) > 0
	if len(open) == 0 {
		summary.Sentence = fmt.Sprintf("No alerts open at the end of the period (%d open at its start).", len(openBefore))
		b.r.Held = append(b.r.Held, summary)
	} else {
		summary.Sentence = fmt.Sprintf("%s open at the end of the period (%s; %+d since its start, when %d were open).",
			plural(len(open), "alert", "alerts"), bySeverity(open), len(open)-len(openBefore), len(openBefore))
		b.r.Worse = append(b.r.Worse, summary)
	}
	if len(resolved) > 0 {
		f := Finding{ID: "alerts:resolved", Section: SectionAlerts, Number: float64(len(resolved)), N: len(resolved),
			Sentence: fmt.Sprintf("%s opened earlier %s resolved in the period (%s).", plural(len(resolved), "alert", "alerts"),
				map[bool]string{true: "was", false: "were"}[len(resolved) == 1], bySeverity(resolved))}
		for _, a := range resolved {
			f.Evidence = append(f.Evidence, Link{Kind: LinkAlert, ID: a.ID, Time: a.Opened, Value: a.Value})
		}
		b.r.Held = append(b.r.Held, f)
	}
	return nil
}

// plural writes "1 alert" or "3 alerts".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func maxSeverity(a, b string) string {
	if trustwatch.SeverityRank(b) > trustwatch.SeverityRank(a) {
		return b
	}
	return a
}

// bySeverity counts alerts per severity, highest first: "1 critical, 2 high".
func bySeverity(as []*trustwatch.Alert) string {
	var parts []string
	for _, s := range []string{trustwatch.SeverityCritical, trustwatch.SeverityHigh, trustwatch.SeverityMedium, trustwatch.SeverityLow} {
		n := 0
		for _, a := range as {
			if a.Severity == s {
				n++
			}
		}
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	other := len(as)
	for _, a := range as {
		if trustwatch.SeverityRank(a.Severity) > 0 {
			other--
		}
	}
	if other > 0 {
		parts = append(parts, fmt.Sprintf("%d unrated", other))
	}
	return strings.Join(parts, ", ")
}
