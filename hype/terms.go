package hype

import (
	"sync"
	"unicode/utf8"
)

// Rule ids. Each names one way a claim spends trust up front.
const (
	// RuleAbsolute: the absolute terms of 《广告法》第九条(三) (国家级, 最高级,
	// 最佳) and the terms the SAMR guide treats the same way.
	RuleAbsolute = "adlaw9.absolute"
	// RuleSuperlative: 最+quality and its slang (地表最强, 史上最, 无敌).
	RuleSuperlative = "superlative"
	// RuleRank: rank and priority claims (第一, 唯一, 首款, 遥遥领先, 吊打).
	RuleRank = "rank"
	// RuleHype: hype vocabulary (黑科技, 颠覆, 革命性, 史无前例).
	RuleHype = "hype.vocab"
	// RuleCertainty: promises of certainty (绝对, 100%, 永不).
	RuleCertainty = "certainty"
	// RuleLabExtreme: a figure measured in the lab or at the limit
	// (实验室, 极限工况, 理论, 最高可达) quoted with a number.
	RuleLabExtreme = "lab.extreme"
	// RuleLabCondition: the same conditions without a number.
	RuleLabCondition = "lab.condition"
)

type term struct {
	rule   string
	points float64
	note   string
}

const (
	noteStatute = "《广告法》第九条(三) 明列"
	noteGuide   = "执法指南: 对商品本身的绝对化表述"
)

// lexicon holds the curated terms. Longest match wins, so 地表最强 is one
// superlative, not 最强 inside it.
type lexicon struct {
	// terms maps a normalised term to its rule.
	terms map[string]term
	// exempt holds words that contain a term but state a fact of time,
	// order or quantity, name an institution or are unrelated words; a
	// match consumes the span so that nothing inside it scores.
	exempt map[string]string
	// maxLen is the longest entry, in runes.
	maxLen int
}

// labTerms score only as lab conditions; with a number in the same clause
// they become lab extremes.
var labTerms = map[string]float64{
	"实验室": 12, "实验室数据": 12, "极限工况": 15, "极限条件": 15, "理论": 10, "理论值": 12,
	"理论续航": 12, "理想工况": 12, "最高可达": 15, "最大可达": 15, "峰值": 10, "可达": 6, "高达": 6,
	"官方数据": 6, "cltc": 8, "nedc": 8, "特定条件下": 12, "测试条件下": 10,
}

// theLexicon is built once, on first use.
var theLexicon = sync.OnceValue(buildLexicon)

func buildLexicon() *lexicon {
	lx := &lexicon{terms: map[string]term{}, exempt: map[string]string{}}
	terms, exempt := lx.terms, lx.exempt
	add := func(rule string, points float64, note string, words ...string) {
		for _, w := range words {
			terms[w] = term{rule: rule, points: points, note: note}
		}
	}
	addExempt := func(note string, words ...string) {
		for _, w := range words {
			exempt[w] = note
		}
	}
	// The statute's own words and their equivalents.
	add(RuleAbsolute, 25, noteStatute, "国家级", "最高级", "最佳")
	add(RuleAbsolute, 25, noteGuide, "世界级", "全球级", "宇宙级", "国际级", "顶级", "顶尖", "独一无二",
		"绝无仅有", "无与伦比", "首屈一指", "填补国内空白", "国际领先", "世界领先", "全球领先")
	add(RuleAbsolute, 15, noteGuide, "极致", "极品", "终极", "巅峰", "至尊", "尖端", "绝佳", "极佳",
		"完美", "一流", "万能", "领导品牌", "领袖品牌", "之王", "王者", "冠军", "销量冠军", "榜首")

	// Superlatives: the common 最+quality forms and their slang.
	for _, adj := range []string{"强", "快", "好", "优", "佳", "大", "高", "低", "小", "轻", "长", "稳",
		"美", "安全", "先进", "舒适", "便宜", "智能", "豪华", "可靠", "稳定", "优秀", "省心", "值得", "划算",
		"聪明", "漂亮", "好看", "高效", "耐用", "低价", "具", "受欢迎", "流行", "时尚", "顶级", "极致", "硬核",
		"靠谱", "先", "优质", "强大", "出色", "懂"} {
		if _, ok := terms["最"+adj]; !ok {
			terms["最"+adj] = term{rule: RuleSuperlative, points: 20, note: "最+X: 对商品本身的最高级"}
		}
	}
	add(RuleSuperlative, 30, "网络化的最高级", "地表最强", "宇宙最强", "史上最强", "史上最快", "史上最好")
	add(RuleSuperlative, 25, "网络化的最高级", "史上最", "无敌", "天下第一")

	// Rank and priority.
	add(RuleRank, 25, noteGuide, "全球第一", "世界第一", "全国第一", "中国第一", "全网第一", "行业第一",
		"销量第一", "排名第一", "第一品牌", "唯一", "独家", "全球首发", "全网首发", "全国首发", "全球首款",
		"全球首个", "全球唯一", "全国首家", "遥遥领先")
	add(RuleRank, 20, "排序/首位声称", "第一", "第一名", "首款", "首个", "首家", "首创", "首选", "no.1",
		"no1", "top1", "top.1", "吊打", "行业领先", "领跑", "碾压")
	add(RuleRank, 10, "比较性领先", "领先", "超越", "秒杀同级")

	// Hype vocabulary.
	add(RuleHype, 20, "夸张词汇", "颠覆性", "革命性", "史无前例", "前所未有", "划时代", "前无古人")
	add(RuleHype, 15, "夸张词汇", "黑科技", "颠覆", "跨时代", "重新定义", "降维打击", "天花板", "王炸",
		"封神", "神车", "逆天", "炸裂", "杀疯了")
	add(RuleHype, 8, "夸张词汇", "革命", "里程碑", "次世代", "神器", "超级")

	// Certainty.
	add(RuleCertainty, 15, "确定性承诺", "绝对", "100%", "百分之百", "百分百", "永不", "零风险", "万无一失",
		"零事故", "零故障", "零缺陷", "彻底解决", "完全杜绝", "超级安全", "绝对安全", "永远不会")
	add(RuleCertainty, 10, "确定性承诺", "永远", "永久", "无死角", "绝不", "完全", "彻底", "保证")

	// Facts of time, order and quantity, institutions and unrelated words
	// (执法指南: 表示时间/顺序的客观事实、机构名称, 不属于绝对化用语).
	addExempt("时间/顺序的客观表述", "最近", "最后", "最终", "最初", "最早", "最晚", "最新", "最后一",
		"第一次", "第一天", "第一时间", "第一批", "第一步", "第一眼", "第一季度", "第一代", "第一个月",
		"第一届", "第一期", "第一轮", "第一场", "第一集", "第一章", "第一条", "第一款", "第一项", "第一部分",
		"第一阶段", "第一周", "第一年", "第一波", "第一口", "第一把", "第一站", "第一反应", "第一印象",
		"第一感觉", "第一季", "第一份", "第一单", "第一位", "首次", "首发阵容", "首日", "首周", "首月",
		"首批", "唯一一次")
	addExempt("数量界限, 非品质", "最多", "最少", "最起码", "最低限度", "最大程度", "最高时速限制")
	addExempt("建议/情绪, 非商品描述", "最好不", "最好别", "最好还是", "最好能", "最好先", "最怕", "最想",
		"最担心", "最关心", "最在意", "最讨厌", "最恨", "最喜欢", "最重要", "最主要", "最关键", "最大的问题")
	addExempt("机构名称", "最高法", "最高院", "最高人民法院", "最高人民检察院", "最高检", "最高管理",
		"首席", "国家级媒体", "国家队", "冠军赛", "世界冠军", "奥运冠军")
	addExempt("无关词语", "世界杯", "世界上", "世界观", "绝对值", "超级碗", "超级杯", "超级联赛",
		"领先一步", "比分领先")

	for w := range labTerms {
		terms[w] = term{rule: RuleLabCondition, points: labTerms[w], note: "实验室/极限条件"}
	}
	for w := range terms {
		lx.maxLen = max(lx.maxLen, utf8.RuneCountInString(w))
	}
	for w := range exempt {
		lx.maxLen = max(lx.maxLen, utf8.RuneCountInString(w))
	}
	return lx
}
