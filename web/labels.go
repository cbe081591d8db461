package web

import (
	"math"
	"net/url"
	"strconv"
	"strings"

	"trustwatch"
)

// Links to the detector pages. Ids come from the data, so they are escaped.
func alertURL(id string) string  { return "/alerts/" + url.PathEscape(id) }
func seriesURL(id string) string { return "/series/" + url.PathEscape(id) }
func claimURL(id string) string  { return "/claims/" + url.PathEscape(id) }
func voiceURL(id string) string  { return "/voice/" + url.PathEscape(id) }

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

// alertKinds names the detection kinds the detectors raise. A kind missing
// here is shown as it is.
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

func alertKindName(kind string) string {
	if n, ok := alertKinds[kind]; ok {
		return n
	}
	return kind
}

// alertState is open, acked or resolved.
func alertState(a trustwatch.Alert) string {
	switch {
	case a.Resolved != nil:
		return "resolved"
	case a.Acked != nil:
		return "acked"
	}
	return "open"
}

func stanceName(s string) string {
	switch s {
	case "confirms":
		return "证实"
	case "contradicts":
		return "反驳"
	}
	return "无关"
}

func claimStatusName(s string) string {
	switch s {
	case "open":
		return "待验证"
	case "repaying":
		return "兑现中"
	case "repaid":
		return "已兑现"
	case "disputed":
		return "有争议"
	case "defaulting":
		return "违约中"
	case "defaulted":
		return "已违约"
	}
	return s
}

func seriesKindName(k string) string {
	switch k {
	case trustwatch.SeriesPrice:
		return "股价"
	case trustwatch.SeriesMarketCap:
		return "市值"
	case trustwatch.SeriesFollowers:
		return "粉丝"
	case trustwatch.SeriesOrders:
		return "订单"
	case trustwatch.SeriesResponseSeconds:
		return "响应时长"
	case trustwatch.SeriesDefects:
		return "缺陷"
	}
	return k
}

// formatFloat writes v with up to digits decimals, without trailing zeros;
// "–" for NaN and infinities.
func formatFloat(v float64, digits int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	s := strconv.FormatFloat(v, 'f', digits, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// seriesDef returns the watch file's declaration of a series, or a bare one.
func (s *Server) seriesDef(id string) (trustwatch.SeriesDef, bool) {
	for _, d := range s.Watch.Series {
		if d.ID == id {
			return d, true
		}
	}
	return trustwatch.SeriesDef{ID: id}, false
}

func (s *Server) seriesName(id string) string {
	if d, _ := s.seriesDef(id); d.Name != "" {
		return d.Name
	}
	return id
}

// formatPValue writes a p-value as statisticians do: "p < 0.001" below a
// thousandth, else with three decimals.
func formatPValue(p float64) string {
	switch {
	case math.IsNaN(p):
		return "p = –"
	case p < 0.001:
		return "p < 0.001"
	}
	return "p = " + strconv.FormatFloat(p, 'f', 3, 64)
}

// formatSigned writes *v with an explicit sign; "–" for nil.
func formatSigned(v *float64, digits int) string {
	if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
		return "–"
	}
	s := strconv.FormatFloat(*v, 'f', digits, 64)
	if *v >= 0 {
		s = "+" + s
	}
	return s
}
