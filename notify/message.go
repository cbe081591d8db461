package notify

import (
	"cmp"
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
