package report

// The report names severities, alert kinds, item kinds and sentiment
// labels with package label, as the dashboard does.

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
