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
