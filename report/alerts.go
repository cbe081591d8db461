package report

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"trustwatch/label"

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
	table := Table{ID: "alerts", Title: "预警", Note: "期末仍未关闭、本期开启或本期解决的预警。",
		Columns: []Column{{Title: "严重"}, {Title: "类型"}, {Title: "实体"}, {Title: "开启"}, {Title: "解决"},
			{Title: "数值", Numeric: true, Format: "float"}, {Title: "说明"}}}
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
		table.Rows = append(table.Rows, []Cell{{Text: label.Severity(a.Severity), Link: &link}, {Text: label.AlertKind(a.Kind)}, {Text: b.entityName(a.Entity)},
			{Text: b.r.day(a.Opened)}, {Text: resolvedText}, {Value: a.Value, Numeric: true, Link: &link}, {Text: a.Statement}})
		if resolvedIn {
			resolved = append(resolved, a)
			continue
		}
		if isOpen {
			open = append(open, a)
		}
		state := "仍未关闭"
		if !isOpen {
			state = b.r.day(*a.Resolved) + " 已解决"
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
			Sentence: fmt.Sprintf("%s（%s，%s；%s 开启，%s）", strings.TrimRight(a.Statement, "。. "), label.Severity(a.Severity), label.AlertKind(a.Kind), b.r.day(a.Opened), state),
			Number:   a.Value, N: items, Severity: a.Severity, Open: isOpen, Evidence: ev,
		})
	}
	// The severity cell shows the Chinese name: rank by the alert's own.
	rank := func(row []Cell) int { return trustwatch.SeverityRank(b.r.Alerts[row[0].Link.ID].Severity) }
	slices.SortStableFunc(table.Rows, func(x, y []Cell) int { return rank(y) - rank(x) })
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
		summary.Sentence = fmt.Sprintf("期末没有未关闭的预警（期初 %d 条）", len(openBefore))
		b.r.Held = append(b.r.Held, summary)
	} else {
		summary.Sentence = fmt.Sprintf("期末仍有 %d 条预警未关闭（%s；%s，期初 %d 条）",
			len(open), bySeverity(open), countChange(len(open)-len(openBefore)), len(openBefore))
		b.r.Worse = append(b.r.Worse, summary)
	}
	if len(resolved) > 0 {
		f := Finding{ID: "alerts:resolved", Section: SectionAlerts, Number: float64(len(resolved)), N: len(resolved),
			Sentence: fmt.Sprintf("本期解决了 %d 条更早开启的预警（%s）", len(resolved), bySeverity(resolved))}
		for _, a := range resolved {
			f.Evidence = append(f.Evidence, Link{Kind: LinkAlert, ID: a.ID, Time: a.Opened, Value: a.Value})
		}
		b.r.Held = append(b.r.Held, f)
	}
	return nil
}

// countChange says how the count of open alerts moved since the start of
// the period: "比期初多 2 条", "比期初少 1 条" or "与期初持平".
func countChange(d int) string {
	switch {
	case d > 0:
		return fmt.Sprintf("比期初多 %d 条", d)
	case d < 0:
		return fmt.Sprintf("比期初少 %d 条", -d)
	}
	return "与期初持平"
}

func maxSeverity(a, b string) string {
	if trustwatch.SeverityRank(b) > trustwatch.SeverityRank(a) {
		return b
	}
	return a
}

// bySeverity counts alerts per severity, highest first: "严重 1，高 2".
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
			parts = append(parts, fmt.Sprintf("%s %d", label.Severity(s), n))
		}
	}
	other := len(as)
	for _, a := range as {
		if trustwatch.SeverityRank(a.Severity) > 0 {
			other--
		}
	}
	if other > 0 {
		parts = append(parts, fmt.Sprintf("未分级 %d", other))
	}
	return strings.Join(parts, "，")
}
