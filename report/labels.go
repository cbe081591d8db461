package report

import "trustwatch"

// The report speaks the dashboard's words for severities, alert kinds,
// item kinds and sentiment labels. It must not import the web package, so
// the names are repeated here; keep them in step with web/labels.go.

// severityName is the Chinese name of a severity; an unknown one is shown
// as it is.
func severityName(s string) string {
	switch s {
	case trustwatch.SeverityCritical:
		return "严重"
	case trustwatch.SeverityHigh:
		return "高"
	case trustwatch.SeverityMedium:
		return "中"
	case trustwatch.SeverityLow:
		return "低"
	}
	return s
}

// alertKinds names the detection kinds the detectors raise.
var alertKinds = map[string]string{
	"metric.low":         "创新低",
	"metric.high":        "创新高",
	"metric.drawdown":    "回撤",
	"metric.change":      "窗口变化",
	"metric.anomaly":     "异常值",
	"sla.breach":         "SLA 超标",
	"spc.out_of_control": "失控批次",
	"spc.dispersion":     "盲盒指数",
	"volume.spike":       "声量激增",
	"sentiment.spike":    "负面激增",
	"term.emerging":      "新词",
	"term.nickname":      "外号",
	"claim.defaulting":   "承诺违约中",
	"claim.default":      "承诺违约",
	"saydo.gap":          "言行不一",
	"voice.predictable":  "话术可预测",
}

// alertKindName is the Chinese name of an alert kind; a kind missing from
// the list is shown as it is.
func alertKindName(kind string) string {
	if n, ok := alertKinds[kind]; ok {
		return n
	}
	return kind
}

func itemKindName(k trustwatch.Kind) string {
	switch k {
	case trustwatch.KindPost:
		return "帖子"
	case trustwatch.KindComment:
		return "评论"
	case trustwatch.KindReview:
		return "评价"
	case trustwatch.KindNews:
		return "新闻"
	case trustwatch.KindStatement:
		return "声明"
	}
	return string(k)
}

func labelName(l trustwatch.Label) string {
	switch l {
	case trustwatch.Positive:
		return "正面"
	case trustwatch.Negative:
		return "负面"
	case trustwatch.Neutral:
		return "中性"
	}
	return string(l)
}

// linkKindName names what a piece of evidence is.
func linkKindName(kind string) string {
	switch kind {
	case LinkItem:
		return "条目"
	case LinkAlert:
		return "预警"
	case LinkSeries:
		return "序列"
	}
	return kind
}
