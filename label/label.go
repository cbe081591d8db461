// Package label names the domain's values in the words trustwatch's users
// read: severities, alert kinds, item kinds, sentiment labels, claim
// statuses, evidence stances, series kinds and entity kinds, in Chinese. The dashboard
// and the report both speak through it, so a kind is called the same on
// the screen and on paper.
//
// It knows the domain's vocabulary, and reads the kinds' names from the
// detector registry; a value it does not know is shown as it is.
package label

import (
	"trustwatch"
	"trustwatch/detect"
)

// Severity names a severity: 严重, 高, 中, 低.
func Severity(s string) string {
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

// AlertKind names an alert kind as its detector registered it
// (metric.low → 创新低).
func AlertKind(kind string) string {
	if k, ok := detect.Kind(kind); ok {
		return k.Label
	}
	return kind
}

// ItemKind names an item kind: 帖子, 评论, 评价, 新闻, 声明.
func ItemKind(k trustwatch.Kind) string {
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

// EntityKind names an entity kind: 品牌, 人物, 产品, 竞品, 话题.
func EntityKind(k string) string {
	switch k {
	case trustwatch.EntityBrand:
		return "品牌"
	case trustwatch.EntityPerson:
		return "人物"
	case trustwatch.EntityProduct:
		return "产品"
	case trustwatch.EntityCompetitor:
		return "竞品"
	case trustwatch.EntityTopic:
		return "话题"
	}
	return k
}

// Sentiment names a label: 正面, 负面, 中性; an item without one is 未标注.
func Sentiment(l trustwatch.Label) string {
	switch l {
	case trustwatch.Positive:
		return "正面"
	case trustwatch.Negative:
		return "负面"
	case trustwatch.Neutral:
		return "中性"
	case "":
		return "未标注"
	}
	return string(l)
}

// ClaimStatus names a trust-ledger status.
func ClaimStatus(s string) string {
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

// Stance names a piece of evidence's stance towards a claim.
func Stance(s string) string {
	switch s {
	case "confirms":
		return "证实"
	case "contradicts":
		return "反驳"
	}
	return "无关"
}

// SeriesKind names a kind of metric series.
func SeriesKind(k string) string {
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

// DeliveryState names a delivery attempt's state (ok, failed, skipped).
func DeliveryState(s string) string {
	switch s {
	case trustwatch.DeliveryOK:
		return "已送达"
	case trustwatch.DeliveryFailed:
		return "失败"
	case trustwatch.DeliverySkipped:
		return "跳过"
	}
	return s
}
