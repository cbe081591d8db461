package label

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"trustwatch/aspect"
)

// Platform names a platform code as its users call it (weibo → 微博);
// an unknown code, such as a CSV's own, is shown as it is.
func Platform(code string) string {
	switch strings.ToLower(code) {
	case "weibo", "wb":
		return "微博"
	case "xhs", "xiaohongshu", "redbook":
		return "小红书"
	case "douyin", "dy":
		return "抖音"
	case "bilibili", "bili":
		return "B站"
	case "zhihu":
		return "知乎"
	case "tieba":
		return "贴吧"
	case "kuaishou", "ks":
		return "快手"
	case "news":
		return "新闻"
	case "rss", "feed", "atom":
		return "订阅源"
	case "wechat", "weixin":
		return "微信"
	case "toutiao":
		return "今日头条"
	case "dongchedi":
		return "懂车帝"
	case "autohome":
		return "汽车之家"
	case "csv":
		return "CSV 文件"
	}
	return code
}

// Aspect names an aspect id with the default lexicon's name (brakes →
// 刹车); an id the lexicon does not know is shown as it is. A watch file
// can rename aspects: callers that hold the watch file look there first.
func Aspect(id string) string {
	if name := aspect.Default().Name(id); name != "" {
		return name
	}
	return id
}

// The number formats below are the only ones the dashboard and the report
// use, so a figure reads the same on the screen and on paper. A value that
// is not a number (NaN, ±Inf, nil) is "–".
const none = "–"

func bad(f float64) bool { return math.IsNaN(f) || math.IsInf(f, 0) }

// Num writes an integer with thousands separators (12,345); other values
// are printed as Go prints them.
func Num(v any) string {
	switch n := v.(type) {
	case int:
		return Int(int64(n))
	case int64:
		return Int(n)
	case int32:
		return Int(int64(n))
	case uint32:
		return Int(int64(n))
	case float64:
		return Float(n, 2)
	}
	return fmt.Sprint(v)
}

// Int writes n with thousands separators: 1234567 → 1,234,567.
func Int(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Float writes v with up to digits decimals, without trailing zeros.
func Float(v float64, digits int) string {
	if bad(v) {
		return none
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

// Pct writes a share as a percentage with one decimal: 0.4123 → 41.2%.
func Pct(f float64) string {
	if bad(f) {
		return none
	}
	s := strconv.FormatFloat(f*100, 'f', 1, 64)
	if s == "-0.0" {
		s = "0.0"
	}
	return s + "%"
}

// Change writes a relative change as a signed whole percentage (+25%);
// nil means there was nothing to compare with: 新.
func Change(c *float64) string {
	if c == nil {
		return "新"
	}
	if bad(*c) {
		return none
	}
	s := strconv.FormatFloat(*c*100, 'f', 0, 64)
	switch {
	case s == "-0" || s == "0":
		s = "0"
	case *c > 0:
		s = "+" + s
	}
	return s + "%"
}

// Points writes the change of a share in percentage points, signed, with
// one decimal: 0.052 → +5.2 个百分点.
func Points(d float64) string {
	if bad(d) {
		return none
	}
	s := strconv.FormatFloat(d*100, 'f', 1, 64)
	switch {
	case s == "-0.0" || s == "0.0":
		s = "0.0"
	case d > 0:
		s = "+" + s
	}
	return s + " 个百分点"
}

// PValue writes a p-value as statisticians do: "p < 0.001" below a
// thousandth, else with three decimals. It is one token, never split.
func PValue(p float64) string {
	switch {
	case math.IsNaN(p):
		return "p = " + none
	case p < 0.001:
		return "p < 0.001"
	}
	return "p = " + strconv.FormatFloat(p, 'f', 3, 64)
}

// Signed writes *v with an explicit sign and digits decimals; "–" for nil.
func Signed(v *float64, digits int) string {
	if v == nil || bad(*v) {
		return none
	}
	s := strconv.FormatFloat(*v, 'f', digits, 64)
	if *v >= 0 {
		s = "+" + s
	}
	return s
}

// Figure is a figure the dashboard or the report shows: its Chinese name
// and one line saying what it means to a PR analyst.
type Figure struct {
	Code    string
	Label   string
	Explain string
}

// figures are the figures shown to users, by code. A code is how a
// template or the report asks for a figure; it is never shown.
var figures = map[string]Figure{
	"E":              {Label: "成立概率 E", Explain: "承诺成立的期望概率，(证实+1)/(证实+反驳+2)：0.5 是一无所知，越低越像落空"},
	"rep":            {Label: "信誉 Rep", Explain: "承诺的信誉值，-1 到 +1：证实多则为正，反驳多则为负"},
	"h":              {Label: "透支 h", Explain: "承诺透支的信用，由炒作分换算：炒作越重，落空时信用掉得越多"},
	"balance":        {Label: "信用余额", Explain: "所有承诺的 透支 h × 信誉 Rep 之和：为负表示整体口碑在透支"},
	"hype":           {Label: "炒作分", Explain: "宣传语的夸张程度，0 到 100：绝对化用语、无出处的数字、最高级越多越高"},
	"half_life":      {Label: "半衰期", Explain: "证据的权重减半所需的天数：旧证据逐渐被遗忘"},
	"bits":           {Label: "比特/字", Explain: "用语的意外程度：每个字平均需要的信息量，越低越像老话重复、套话"},
	"bits_trend":     {Label: "用语趋势", Explain: "每 30 天比特/字的变化：为负表示越来越重复自己（或别人）"},
	"z":              {Label: "z 值", Explain: "偏离平常水平多少个标准差：|z| ≥ 3 通常不是偶然"},
	"p":              {Label: "p 值", Explain: "若一切如常，出现这么大变化的概率：越小越不像偶然，p < 0.01 可视为显著"},
	"cusum":          {Label: "累积和 CUSUM", Explain: "把每天的小偏差累加起来：缓慢而持续的恶化也会越过控制线"},
	"ewma":           {Label: "指数加权均值 EWMA", Explain: "近期权重更高的移动平均：越过控制限表示水平真的变了"},
	"control_limits": {Label: "控制限", Explain: "随机波动的正常范围（通常为 ±3σ）：越界说明过程出了问题"},
	"dispersion":     {Label: "盲盒指数 φ", Explain: "批次间缺陷率的方差与随机波动预期之比：远大于 1 表示质量看批次碰运气"},
	"wilson":         {Label: "误差范围", Explain: "占比的 95% Wilson 置信区间半宽：条数越少越宽，超过 ±10 个百分点即数据少"},
	"net_sentiment":  {Label: "净情感", Explain: "(正面 − 负面) ÷ 条数，-1 到 +1：为负表示负面多于正面"},
	"neg_share":      {Label: "负面占比", Explain: "负面条目占全部条目的比例"},
	"neg_share_diff": {Label: "负面占比变化", Explain: "与上一等长时段相比负面占比变了多少个百分点"},
	"change":         {Label: "环比", Explain: "与上一等长时段相比的变化；“新”表示上一时段没有"},
	"share_of_voice": {Label: "声量份额", Explain: "本方条数占我方与竞品总提及的比例"},
	"engagement":     {Label: "互动量", Explain: "点赞、评论、转发之和：越高传播越广"},
	"p_pos":          {Label: "正面概率", Explain: "情感模型判断为正面的概率：0.5 附近是拿不准"},
	"burst":          {Label: "激增", Explain: "提及量在短时间内远超平常（Kleinberg 突发检测）"},
	"p95":            {Label: "P95 响应时长", Explain: "95% 的请求在此时间内得到响应：衡量最慢的那部分体验"},
	"sla":            {Label: "服务承诺 SLA", Explain: "对响应时长的承诺：超出即违约"},
	"severity":       {Label: "严重程度", Explain: "预警的紧急程度：严重、高、中、低"},
	"evidence":       {Label: "证据", Explain: "支撑这个结论的条目或数据点，点开可逐条核对"},
}

// Explain returns the figure with code: its Chinese label and a one-line
// explanation. An unknown code comes back as its own label with no
// explanation.
func Explain(code string) Figure {
	if f, ok := figures[code]; ok {
		f.Code = code
		return f
	}
	return Figure{Code: code, Label: code}
}

// Legend returns the figures with codes, in that order, for a page's
// legend; unknown codes are left out, so a legend never lists a bare code.
func Legend(codes ...string) []Figure {
	out := make([]Figure, 0, len(codes))
	for _, c := range codes {
		if f, ok := figures[c]; ok {
			f.Code = c
			out = append(out, f)
		}
	}
	return out
}

// HTTPStatus names an HTTP status for an error page: 404 → 页面不存在.
func HTTPStatus(code int) string {
	switch code {
	case http.StatusBadRequest:
		return "请求有误"
	case http.StatusUnauthorized:
		return "请先登录"
	case http.StatusForbidden:
		return "没有权限"
	case http.StatusNotFound:
		return "页面不存在"
	case http.StatusMethodNotAllowed:
		return "不支持该操作"
	case http.StatusConflict:
		return "与现有数据冲突"
	case http.StatusRequestEntityTooLarge:
		return "内容太大"
	case http.StatusUnprocessableEntity:
		return "内容无法处理"
	case http.StatusTooManyRequests:
		return "请求太频繁"
	case http.StatusInternalServerError:
		return "服务器出错"
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return "服务暂时不可用"
	}
	if code >= 500 {
		return "服务器出错"
	}
	return "请求未完成"
}

// subjects are the fixed subjects detectors give their alerts: what a
// voice alert measured and which control chart fired.
var subjects = map[string]string{
	"self_bits": "用语重复自己（比特/字）",
	"fatigue":   "回复里的厌倦与调侃",
	"p":         "比例控制图 p",
	"p.run":     "比例控制图 p（连续偏向一侧）",
	"u":         "率控制图 u",
	"u.run":     "率控制图 u（连续偏向一侧）",
	"ewma":      "指数加权均值 EWMA",
	"cusum":     "累积和 CUSUM",
}

// Subject names an alert's fixed subject code (self_bits, cusum …); any
// other subject (a term, a source's id) is shown as it is. Subjects that
// name a claim, a stated value or an aspect are named by whoever holds the
// watch file.
func Subject(code string) string {
	if s, ok := subjects[code]; ok {
		return s
	}
	return code
}
