package ledger_test

import (
	"testing"

	"trustwatch"
	"trustwatch/detect/ledger"
)

func TestClassify(t *testing.T) {
	subject := []string{"机盖", "风道"}
	tests := []struct {
		name  string
		text  string
		label trustwatch.Label
		want  ledger.Stance
	}{
		{"broken promise phrase", "这个机盖的风道就是虚假宣传", "", ledger.Contradicts},
		{"说好的…呢", "说好的双风道导流呢？拆开一看是堵死的", "", ledger.Contradicts},
		{"宣传的…实际", "宣传的风道能给前轮刹车散热，实际根本不通", "", ledger.Contradicts},
		{"实际只有", "风道实际只有装饰作用", "", ledger.Contradicts},
		{"negative clause", "机盖风道就是个摆设，太失望了", "", ledger.Contradicts},
		{"确实 with a negative clause confirms the complaint", "机盖风道确实有问题", "", ledger.Contradicts},
		{"kept promise phrase", "碳纤维机盖名副其实，风道说到做到", "", ledger.Confirms},
		{"实测…达到", "实测风道下压力达到宣传值", "", ledger.Confirms},
		{"确实 with a positive clause", "机盖风道确实好用，散热很有效", "", ledger.Confirms},
		{"negated broken phrase", "法院认定机盖风道并非虚假宣传", "", ledger.Confirms},
		{"negated negative word", "开了三个月，机盖风道没有问题", "", ledger.Confirms},
		{"negated positive word", "机盖风道不好用", "", ledger.Contradicts},
		{"neutral news", "小米汽车挖孔机盖专利获授权", "", ledger.Unrelated},
		{"item sentiment alone does not decide", "今天去看了机盖", trustwatch.Negative, ledger.Unrelated},
		{"item sentiment adds to the clause", "机盖的漆面好看", trustwatch.Positive, ledger.Confirms},
		{"polarity outside the subject's clause is ignored", "机盖拆了看看，隔壁的车真垃圾", "", ledger.Unrelated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := &trustwatch.Item{Text: tt.text, Sentiment: tt.label}
			got, reasons := ledger.Classify(it, subject)
			if got != tt.want {
				t.Errorf("Classify(%q) = %s, want %s (reasons %v)", tt.text, got, tt.want, reasons)
			}
		})
	}
}

func TestClassifyUsesAspectHits(t *testing.T) {
	it := &trustwatch.Item{
		Text:    "前舱盖这个设计嘛",
		Aspects: []trustwatch.AspectHit{{Aspect: "design", Label: trustwatch.Negative, Word: "前舱盖", Clause: "前舱盖这个设计嘛"}},
	}
	if got, r := ledger.Classify(it, []string{"前舱盖"}); got != ledger.Contradicts {
		t.Fatalf("Classify = %s (%v), want contradicts from the negative aspect hit", got, r)
	}
}

func FuzzClassify(f *testing.F) {
	f.Add("说好的双风道导流呢？拆开一看是堵死的", "风道")
	f.Add("机盖风道确实好用，散热很有效", "机盖")
	f.Add("不", "")
	f.Fuzz(func(t *testing.T, text, subject string) {
		st, _ := ledger.Classify(&trustwatch.Item{Text: text}, []string{subject})
		if st != ledger.Confirms && st != ledger.Contradicts && st != ledger.Unrelated {
			t.Fatalf("stance %q", st)
		}
	})
}

// TestClassifyEvents: admissions, sanctions and substitutions in a clause
// about the subject, both ways, with negation and other subjects.
func TestClassifyEvents(t *testing.T) {
	tests := []struct {
		name    string
		subject []string
		text    string
		want    ledger.Stance
	}{
		// Admissions and remedies.
		{"apology for a swap", []string{"芯片"}, "小米就偷换芯片致歉", ledger.Contradicts},
		{"apology alone", []string{"芯片"}, "小米就芯片问题致歉", ledger.Contradicts},
		{"admission", []string{"续航"}, "小米承认续航与宣传有差距", ledger.Contradicts},
		{"recall", []string{"刹车"}, "小米召回部分刹车有隐患的车辆", ledger.Contradicts},
		{"compensation", []string{"机盖"}, "挖孔机盖车主获赔偿", ledger.Contradicts},
		{"rectification", []string{"风道"}, "小米风道问题限期整改", ledger.Contradicts},
		{"no apology", []string{"芯片"}, "小米至今没有为芯片道歉", ledger.Unrelated},
		{"refused apology", []string{"芯片"}, "小米拒绝就芯片道歉", ledger.Unrelated},
		{"recall of something else", []string{"机盖", "风道"}, "小米召回充电宝，机盖风道很好用", ledger.Confirms},
		{"the rumour-monger apologises", []string{"续航"}, "博主就造谣小米续航道歉", ledger.Unrelated},
		// Sanctions and rulings.
		{"fine", []string{"续航"}, "小米汽车续航广告被罚款", ledger.Contradicts},
		{"fined", []string{"续航"}, "小米续航宣传被罚", ledger.Contradicts},
		{"case opened", []string{"续航"}, "市场监管局对小米续航宣传立案调查", ledger.Contradicts},
		{"summoned", []string{"续航"}, "监管部门就续航问题约谈小米", ledger.Contradicts},
		{"lost the case", []string{"续航"}, "小米续航案一审败诉", ledger.Contradicts},
		{"court finding", []string{"机盖"}, "小米挖孔机盖案法院认定存夸大宣传", ledger.Contradicts},
		{"not fined", []string{"续航"}, "小米续航广告未被罚", ledger.Unrelated},
		{"no fine for it", []string{"续航"}, "监管没有对续航广告罚款", ledger.Unrelated},
		{"no case", []string{"续航"}, "监管部门对小米续航宣传不予立案", ledger.Unrelated},
		{"judgement for the claim", []string{"续航"}, "法院判决小米续航宣传不构成虚假宣传", ledger.Confirms},
		// Substitutions and cuts.
		{"swapped", []string{"芯片"}, "小米平板偷换芯片", ledger.Contradicts},
		{"cut", []string{"配置"}, "新款配置减配了", ledger.Contradicts},
		{"shrunk", []string{"电池"}, "新款电池缩水", ledger.Contradicts},
		{"changed to", []string{"芯片"}, "小米把芯片换成了低端型号", ledger.Contradicts},
		{"8 cores to 4", []string{"芯片"}, "同款芯片8核换4核", ledger.Contradicts},
		{"4 cores to 8 is no cut", []string{"芯片"}, "同款芯片4核换8核", ledger.Unrelated},
		{"not a cut", []string{"配置"}, "新款配置不是减配", ledger.Confirms},
		{"a wish to change", []string{"芯片"}, "希望把芯片换成骁龙", ledger.Unrelated},
		{"swap outside the subject's clause", []string{"续航"}, "续航还行，车机偷换了系统", ledger.Unrelated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, reasons := ledger.Classify(&trustwatch.Item{Text: tt.text}, tt.subject)
			if got != tt.want {
				t.Errorf("Classify(%q, %v) = %s, want %s (reasons %v)", tt.text, tt.subject, got, tt.want, reasons)
			}
		})
	}
}

// TestClassifyClaimFigures: the item's figures against the claim's.
func TestClassifyClaimFigures(t *testing.T) {
	tests := []struct {
		name    string
		claim   string
		subject []string
		text    string
		want    ledger.Stance
	}{
		{"short, with a limiting word", "续航700公里", []string{"续航"}, "实际只有420公里", ledger.Contradicts},
		{"short, subject named", "续航700公里", []string{"续航"}, "冬天续航不到500公里", ledger.Contradicts},
		{"short, measured", "CLTC续航700公里", []string{"续航"}, "续航实测520km", ledger.Contradicts},
		{"reached", "续航700公里", []string{"续航"}, "续航实测跑出720公里", ledger.Confirms},
		{"equal, with a limiting word, is not short", "续航700公里", []string{"续航"}, "续航只有700公里", ledger.Unrelated},
		{"within 5% is not short", "续航700公里", []string{"续航"}, "续航实测680公里", ledger.Unrelated},
		{"a distance that is no range", "续航700公里", []string{"续航"}, "我家离公司只有20公里", ledger.Unrelated},
		{"the claim restated", "续航700公里", []string{"续航"}, "小米SU7续航700公里起步", ledger.Unrelated},
		{"another unit", "续航700公里", []string{"续航"}, "续航只有两天", ledger.Unrelated},
		{"slower than claimed", "零百加速2.78秒", []string{"加速"}, "零百加速实测3.5秒", ledger.Contradicts},
		{"faster than claimed", "零百加速2.78秒", []string{"加速"}, "零百加速仅需2.6秒", ledger.Confirms},
		{"a compared aspect limited", "龙晶陶瓷，硬度更高", []string{"龙晶", "陶瓷"}, "小米14Ultra龙晶陶瓷硬度只有6级", ledger.Contradicts},
		{"a compared aspect without a limit", "龙晶陶瓷，硬度更高", []string{"龙晶", "陶瓷"}, "龙晶陶瓷硬度6级", ledger.Unrelated},
		{"cores cut against the claim's", "8核处理器", []string{"处理器"}, "处理器8核换成4核", ledger.Contradicts},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := &trustwatch.Item{Text: tt.text}
			got, reasons := ledger.ClassifyClaim(it, tt.claim, tt.subject)
			if got != tt.want {
				t.Errorf("ClassifyClaim(%q, %q) = %s, want %s (reasons %v)", tt.text, tt.claim, got, tt.want, reasons)
			}
		})
	}
	// Without the claim's text the figures say nothing.
	if got, r := ledger.Classify(&trustwatch.Item{Text: "小米14Ultra龙晶陶瓷硬度只有6级"}, []string{"龙晶", "陶瓷"}); got != ledger.Unrelated {
		t.Errorf("Classify without the claim = %s (%v), want unrelated", got, r)
	}
}

// TestClassifyNeutralNews: a patent, a launch or a price report about the
// subject is unrelated, whatever its sentiment or aspect hits; the same
// polarity outside news still counts.
func TestClassifyNeutralNews(t *testing.T) {
	hood := []string{"挖孔机盖", "机盖", "风道"}
	neg := []trustwatch.AspectHit{{Aspect: "design", Label: trustwatch.Negative, Word: "机盖", Clause: "机盖"}}
	tests := []struct {
		name    string
		subject []string
		text    string
		label   trustwatch.Label
		aspects []trustwatch.AspectHit
		want    ledger.Stance
	}{
		{"patent granted, negative mood", hood, "小米汽车挖孔机盖专利获授权", trustwatch.Negative, neg, ledger.Unrelated},
		{"launch, positive mood", hood, "小米新款机盖风道亮相，很好看", trustwatch.Positive, nil, ledger.Unrelated},
		{"on sale", hood, "挖孔机盖选装包今日开售", trustwatch.Positive, nil, ledger.Unrelated},
		{"price report", []string{"su7"}, "小米SU7售价21.59万元起", trustwatch.Positive, nil, ledger.Unrelated},
		{"the product named, no stance", []string{"续航"}, "小米SU7霞光紫", trustwatch.Positive, nil, ledger.Unrelated},
		{"the same mood outside news counts", hood, "挖孔机盖的设计", trustwatch.Negative, neg, ledger.Contradicts},
		{"a news word inside a subject word is the subject", []string{"定价"}, "小米SU7定价让人失望", "", nil, ledger.Contradicts},
		{"news with a broken-promise pattern still counts", hood, "机盖风道发布会上说的是虚假宣传", "", nil, ledger.Contradicts},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := &trustwatch.Item{Text: tt.text, Sentiment: tt.label, Aspects: tt.aspects}
			got, reasons := ledger.Classify(it, tt.subject)
			if got != tt.want {
				t.Errorf("Classify(%q) = %s, want %s (reasons %v)", tt.text, got, tt.want, reasons)
			}
		})
	}
}

// TestClassifyNotPolar: words that contain a polar character without its
// sense ("假期" is no fake, "好还是" no praise) leave the clause neutral.
func TestClassifyNotPolar(t *testing.T) {
	tests := []struct {
		text string
		want ledger.Stance
	}{
		{"小米SU7假期锁单超6000辆", ledger.Unrelated},
		{"假如续航能再长一点", ledger.Unrelated},
		{"长续航版好还是标准版", ledger.Unrelated},
		{"续航是假的", ledger.Contradicts},
		{"续航真好", ledger.Confirms},
	}
	for _, tt := range tests {
		if got, r := ledger.Classify(&trustwatch.Item{Text: tt.text}, []string{"续航", "锁单"}); got != tt.want {
			t.Errorf("Classify(%q) = %s (%v), want %s", tt.text, got, r, tt.want)
		}
	}
}
