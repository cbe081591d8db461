package aspect

import "sync"

// defaultAspects is the default lexicon for cars and consumer electronics.
// Problems are words that are complaints by themselves.
var defaultAspects = []struct {
	id, name        string
	words, problems []string
}{
	{"safety", "安全",
		[]string{"安全", "安全性", "碰撞", "气囊", "安全带", "辅助驾驶", "智驾", "自动驾驶", "断电", "锁死", "车门打不开"},
		[]string{"事故", "爆燃", "起火", "自燃", "失控", "车祸", "撞车", "烧毁", "身亡", "隐患"}},
	{"brakes", "刹车",
		[]string{"刹车", "制动", "刹车盘", "刹车片", "卡钳", "abs", "刹车距离", "制动距离"},
		[]string{"刹车失灵", "刹不住", "刹车变软", "刹车异响"}},
	{"tyres", "轮胎",
		[]string{"轮胎", "胎压", "轮毂", "刀片轮胎", "轮圈", "胎噪"},
		[]string{"爆胎", "鼓包", "扎胎"}},
	{"battery", "电池与续航",
		[]string{"电池", "续航", "充电", "电量", "快充", "充电桩", "电耗", "能耗", "待机"},
		[]string{"掉电", "虚标", "续航缩水", "充不进", "电池鼓包", "发烫", "过热"}},
	{"body", "车身与做工",
		[]string{"车身", "做工", "漆面", "车漆", "门缝", "缝隙", "钣金", "内饰", "用料", "品控", "机盖", "前盖", "后备箱"},
		[]string{"掉漆", "色差", "缝隙大", "漏水", "生锈", "开裂", "异味"}},
	{"noise", "异响与噪音",
		[]string{"噪音", "风噪", "胎噪", "隔音", "静音"},
		[]string{"异响", "咯吱", "嗡嗡", "吱吱"}},
	{"software", "车机与软件",
		[]string{"车机", "屏幕", "系统", "软件", "ota", "升级", "导航", "语音", "app", "中控", "hyperos", "澎湃"},
		[]string{"黑屏", "死机", "卡顿", "闪退", "蓝屏", "重启", "bug", "白屏", "花屏"}},
	{"service", "服务",
		[]string{"客服", "售后", "4s", "sos", "救援", "服务", "维修", "保养", "门店", "回复", "投诉", "等了…分钟", "等了…小时"},
		[]string{"踢皮球", "推诿", "敷衍", "不回复", "没人管", "模板回复", "没人接"}},
	{"price", "价格",
		[]string{"价格", "定价", "售价", "性价比", "降价", "涨价", "优惠", "贵", "便宜", "万元", "配置"},
		[]string{"割韭菜", "背刺", "减配", "坑钱"}},
	{"design", "设计原创",
		[]string{"设计", "外观", "造型", "颜值", "原创"},
		[]string{"借鉴", "抄袭", "像保时捷", "撞脸", "山寨", "模仿", "照抄", "保时米"}},
	{"marketing", "营销宣传",
		[]string{"宣传", "营销", "发布会", "广告", "话术", "水军", "公关", "文案"},
		[]string{"虚假宣传", "夸大", "误导", "吹牛", "画饼"}},
	{"delivery", "交付",
		[]string{"交付", "提车", "等车", "交车", "订单", "锁单", "排产", "产能", "发货"},
		[]string{"延期交付", "延迟交付", "跳票", "交付延期", "等不到"}},
}

var defaultLexicon = sync.OnceValue(func() *Lexicon {
	l := &Lexicon{}
	for _, d := range defaultAspects {
		a := aspect{id: d.id, name: d.name}
		for _, ws := range []struct {
			words   []string
			problem bool
		}{{d.words, false}, {d.problems, true}} {
			for _, w := range ws.words {
				p, err := newPattern(w, ws.problem)
				if err != nil {
					panic("aspect: default lexicon: " + err.Error())
				}
				a.words = append(a.words, p)
			}
		}
		l.aspects = append(l.aspects, a)
	}
	return l
})

// Default returns the default lexicon for cars and consumer electronics.
func Default() *Lexicon { return defaultLexicon() }
