package label_test

import (
	"testing"

	"trustwatch"
	"trustwatch/label"
)

func TestNames(t *testing.T) {
	tests := []struct{ got, want string }{
		{label.Severity(trustwatch.SeverityCritical), "严重"},
		{label.Severity("urgent"), "urgent"},
		{label.AlertKind("metric.low"), "创新低"},
		{label.AlertKind("term.nickname"), "外号"},
		{label.AlertKind("custom.kind"), "custom.kind"},
		{label.ItemKind(trustwatch.KindComment), "评论"},
		{label.Sentiment(trustwatch.Negative), "负面"},
		{label.EntityKind(trustwatch.EntityTopic), "话题"},
		{label.EntityKind(trustwatch.EntityCompetitor), "竞品"},
		{label.Sentiment(""), "未标注"},
		{label.ClaimStatus("defaulting"), "违约中"},
		{label.Stance("contradicts"), "反驳"},
		{label.Stance(""), "无关"},
		{label.SeriesKind(trustwatch.SeriesResponseSeconds), "响应时长"},
		{trustwatch.EventKindName(trustwatch.EventJurisdictionObjection), "管辖权异议"},
		{trustwatch.EventKindName("merger"), "merger"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
