package notify

import (
	"cmp"
	"html/template"
	"strconv"
	"strings"
	"time"

	"trustwatch"
)

var severityLabel = map[string]string{
	trustwatch.SeverityCritical: "紧急",
	trustwatch.SeverityHigh:     "高",
	trustwatch.SeverityMedium:   "中",
	trustwatch.SeverityLow:      "低",
}

func (n *Notifier) loc() *time.Location {
	return cmp.Or(n.Location, trustwatch.DefaultLocation())
}

// Title is a one-line title: "【trustwatch 高】mi.close metric.low".
func (n *Notifier) Title(a trustwatch.Alert) string {
	label := cmp.Or(severityLabel[a.Severity], a.Severity)
	about := cmp.Or(a.Series, a.Entity, a.Subject)
	return strings.TrimSpace("【trustwatch " + label + "】" + about + " " + a.Kind)
}

// Text is the plain-text message: the title, the statement, then what,
// when and the alert's id (to acknowledge it with `trustwatch alerts ack`).
func (n *Notifier) Text(a trustwatch.Alert) string {
	var b strings.Builder
	b.WriteString(n.Title(a) + "\n")
	b.WriteString(a.Statement + "\n")
	b.WriteString(n.details(a, ""))
	return strings.TrimRight(b.String(), "\n")
}

// Markdown is the message for DingTalk and WeCom markdown bodies.
func (n *Notifier) Markdown(a trustwatch.Alert) string {
	var b strings.Builder
	b.WriteString("### " + n.Title(a) + "\n\n")
	b.WriteString(a.Statement + "\n\n")
	b.WriteString(n.details(a, "> "))
	return strings.TrimRight(b.String(), "\n")
}

func (n *Notifier) details(a trustwatch.Alert, prefix string) string {
	var b strings.Builder
	line := func(k, v string) {
		if v != "" {
			b.WriteString(prefix + k + "：" + v + "\n")
			if prefix != "" {
				b.WriteString("\n")
			}
		}
	}
	line("规则", a.Rule)
	line("对象", a.Entity)
	line("时间", a.Opened.In(n.loc()).Format("2006-01-02 15:04"))
	line("证据", evidenceCount(a))
	line("告警 ID", a.ID)
	return b.String()
}

func evidenceCount(a trustwatch.Alert) string {
	if len(a.Evidence) == 0 {
		return ""
	}
	return strconv.Itoa(len(a.Evidence)) + " 条"
}

// alertHTML is the e-mail's HTML part: the same lines as Text, escaped.
var alertHTML = template.Must(template.New("alert").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body style="font-family:sans-serif">
<h2>{{.Title}}</h2>
<p>{{.Statement}}</p>
<table>{{range .Rows}}<tr><th align="left">{{index . 0}}</th><td>{{index . 1}}</td></tr>{{end}}</table>
</body></html>
`))

// HTML is the alert as a small HTML page, for the e-mail's HTML part.
func (n *Notifier) HTML(a trustwatch.Alert) string {
	var rows [][2]string
	for _, line := range strings.Split(strings.TrimRight(n.details(a, ""), "\n"), "\n") {
		if k, v, ok := strings.Cut(line, "："); ok {
			rows = append(rows, [2]string{k, v})
		}
	}
	var b strings.Builder
	if err := alertHTML.Execute(&b, map[string]any{"Title": n.Title(a), "Statement": a.Statement, "Rows": rows}); err != nil {
		return ""
	}
	return b.String()
}
