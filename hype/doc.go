// Package hype scores how much a marketing claim spends up front: a number
// from 0 to 100 with the reasons behind it, each a matched span of the text
// and the rule it broke.
//
// The rules follow how 《广告法》第九条 and the 2023 SAMR guide
// 《广告绝对化用语执法指南》 judge absolute terms: a term counts when it is
// said of the product itself, not when it states a verifiable fact of time
// or order ("最近", "第一次"), names an institution ("最高人民法院") or is
// part of an unrelated word ("世界杯"). The term lists are curated here by
// hand; the unofficial list they were checked against is not shipped.
//
// The package knows only text: no watch file, no store, no segmenter.
package hype
