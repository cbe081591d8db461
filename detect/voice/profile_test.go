package voice_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/detect/voice"
)

const pool = "的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要她出得也里后自以会家可下而过天去能对小多然于心学么之都好看起发当没成只如事把还用第样道想作种开美总从无情己面最女但现前些所同日手又行意动方期它头经长儿回位分爱老因很给名法间斯知世什两次使身者被高已亲其进此话常与活正感"

// diverse returns a text of n characters drawn at random from pool.
func diverse(r *rand.Rand, n int) string {
	p := []rune(pool)
	var b strings.Builder
	for range n {
		b.WriteRune(p[r.IntN(len(p))])
	}
	return b.String()
}

// fixture is an account that writes varied posts for 60 days and then the
// same pitch with small changes for 60 days, a crowd that comments daily,
// and replies of which a known number express fatigue.
func fixture() (*itemStore, *trustwatch.Watch, int, int) {
	r := rand.New(rand.NewPCG(1, 2))
	s := &itemStore{}
	w := &trustwatch.Watch{Entities: []trustwatch.Entity{
		{ID: "founder", Kind: trustwatch.EntityPerson, Name: "创始人", Accounts: []string{"创始人本人"}},
		{ID: "brand", Kind: trustwatch.EntityBrand, Name: "品牌"},
	}}
	replies, fatigue := 0, 0
	for d := range 120 {
		t := day0.Add(time.Duration(d) * 24 * time.Hour)
		text := diverse(r, 40)
		if d >= 60 {
			text = fmt.Sprintf("感谢大家支持，颠覆性黑科技地表最强，第%d天，%s", d, diverse(r, 4))
		}
		id := fmt.Sprintf("p%03d", d)
		s.items = append(s.items, trustwatch.Item{ID: id, Author: "创始人本人", Kind: trustwatch.KindPost, Text: text, Time: t})
		s.items = append(s.items, trustwatch.Item{ID: fmt.Sprintf("c%03d", d), Author: "路人", Kind: trustwatch.KindPost,
			Text: diverse(r, 30), Time: t.Add(-time.Hour)})
		if d >= 100 {
			for j, reply := range []string{"又来了，熟悉的配方", "颠覆性黑科技地表最强，学废了", "支持一下，期待交付"} {
				s.items = append(s.items, trustwatch.Item{ID: fmt.Sprintf("r%03d-%d", d, j), ParentID: id, Author: fmt.Sprintf("u%d", j),
					Kind: trustwatch.KindComment, Text: reply, Time: t.Add(time.Duration(j+1) * time.Minute), Likes: int64(j)})
				replies++
				if j < 2 {
					fatigue++
				}
			}
			// The account's own reply is not the audience's.
			s.items = append(s.items, trustwatch.Item{ID: fmt.Sprintf("own%03d", d), ParentID: id, Author: "创始人本人",
				Kind: trustwatch.KindComment, Text: "又来了又来了哈哈哈", Time: t.Add(time.Hour)})
		}
	}
	return s, w, replies, fatigue
}

func TestAnalyze(t *testing.T) {
	s, w, replies, fatigue := fixture()
	from := day0.Add(30 * 24 * time.Hour)
	p, err := voice.Analyze(context.Background(), s, w, "founder", voice.Options{From: from, History: 10})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.N, 120; got != want {
		t.Errorf("N = %d, want %d posts read", got, want)
	}
	if got, want := len(p.Points), 90; got != want {
		t.Fatalf("%d points, want %d (posts from day 30 on)", got, want)
	}
	for _, pt := range p.Points {
		if pt.Warmup || pt.History != 10 {
			t.Fatalf("point %s: history %d warmup %v, want a full window of 10", pt.ItemID, pt.History, pt.Warmup)
		}
	}
	// The pitch repeated since day 60 is predictable to its own history,
	// the varied posts before are not.
	early, late := p.Points[10], p.Points[80] // days 40 and 110
	if !(late.SelfBits < early.SelfBits/2) {
		t.Errorf("self bits: day 40 %.2f, day 110 %.2f: want the repeated pitch far lower", early.SelfBits, late.SelfBits)
	}
	if !(late.Distinct() > 1) {
		t.Errorf("day 110: crowd %.2f − self %.2f bits/char: want the voice distinct from the crowd", late.CrowdBits, late.SelfBits)
	}
	if p.Trend == nil || *p.Trend >= 0 {
		t.Errorf("Trend = %v, want negative (more predictable)", p.Trend)
	}
	if p.Early == nil || p.Late == nil || !(p.Late.SelfBits < p.Early.SelfBits) {
		t.Errorf("early %+v, late %+v: want late self bits lower", p.Early, p.Late)
	}
	if p.Replies != replies || p.Fatigue != fatigue {
		t.Errorf("replies %d fatigue %d, want %d and %d (the account's own replies left out)", p.Replies, p.Fatigue, replies, fatigue)
	}
	if want := float64(fatigue) / float64(replies); math.Abs(p.FatigueShare-want) > 1e-12 {
		t.Errorf("FatigueShare = %v, want %v", p.FatigueShare, want)
	}
	markers := map[string]int{}
	for _, r := range p.FatigueReplies {
		markers[r.Marker]++
	}
	if markers["又来了"] == 0 || markers["imitation: 颠覆性黑科技地表最强"] == 0 {
		t.Errorf("fatigue markers %v: want 又来了 and an imitation of the signature phrase", markers)
	}
	var phrases []string
	for _, ph := range p.SignaturePhrases {
		phrases = append(phrases, ph.Text)
	}
	if len(phrases) == 0 || !strings.Contains(strings.Join(phrases, "|"), "颠覆性黑科技地表最强") {
		t.Errorf("signature phrases %q: want 颠覆性黑科技地表最强", phrases)
	}

	ds := p.Detections(day0.Add(120 * 24 * time.Hour))
	subjects := map[string]trustwatch.Detection{}
	for _, d := range ds {
		if d.Kind != voice.KindPredictable || d.Entity != "founder" || len(d.Evidence) == 0 {
			t.Errorf("detection %+v: want kind voice.predictable on founder with evidence", d)
		}
		subjects[d.Subject] = d
	}
	if _, ok := subjects["self_bits"]; !ok {
		t.Errorf("no self_bits detection in %+v", ds)
	}
	if d, ok := subjects["fatigue"]; !ok || d.Severity != trustwatch.SeverityHigh {
		t.Errorf("fatigue detection %+v: want one, high (share %.2f)", d, p.FatigueShare)
	}
}

// TestAnalyzePrequential checks that a post is scored only against earlier
// posts: the very first post meets an empty model (16 bits per character),
// and an exact repeat of an earlier post scores far lower than its first
// appearance.
func TestAnalyzePrequential(t *testing.T) {
	s := &itemStore{}
	texts := []string{"今天的发布会非常成功感谢大家", "明天我们继续努力把产品做好", "今天的发布会非常成功感谢大家"}
	for i, txt := range texts {
		s.items = append(s.items, trustwatch.Item{ID: fmt.Sprint(i), Author: "acct", Text: txt, Time: day0.Add(time.Duration(i) * time.Hour)})
	}
	w := &trustwatch.Watch{Entities: []trustwatch.Entity{{ID: "e", Accounts: []string{"acct"}}}}
	p, err := voice.Analyze(context.Background(), s, w, "e", voice.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Points) != 3 {
		t.Fatalf("%d points, want 3", len(p.Points))
	}
	if got := p.Points[0].SelfBits; got != 16 {
		t.Errorf("first post: %v bits/char, want 16 (nothing earlier)", got)
	}
	if got := p.Points[0].History; got != 0 {
		t.Errorf("first post history %d, want 0", got)
	}
	if !(p.Points[2].SelfBits < p.Points[0].SelfBits/4) {
		t.Errorf("repeat %.2f bits/char, first %.2f: want far lower", p.Points[2].SelfBits, p.Points[0].SelfBits)
	}
	if p.Trend != nil {
		t.Errorf("Trend = %v from 3 warm-up points, want nil (not enough data)", *p.Trend)
	}
}

func TestAnalyzeErrors(t *testing.T) {
	w := &trustwatch.Watch{Entities: []trustwatch.Entity{{ID: "brand"}}}
	tests := []struct {
		name, entity, code string
	}{
		{"unknown entity", "nobody", trustwatch.ENOTFOUND},
		{"no accounts", "brand", trustwatch.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := voice.Analyze(context.Background(), &itemStore{}, w, tt.entity, voice.Options{})
			if got := trustwatch.ErrorCode(err); got != tt.code {
				t.Errorf("code %q (%v), want %q", got, err, tt.code)
			}
		})
	}
}

func TestDetect(t *testing.T) {
	s, w, _, _ := fixture()
	w.Rules = []trustwatch.Rule{{ID: "voice-founder", Detector: "voice", Entity: "founder", Lookback: trustwatch.Duration(100 * 24 * time.Hour)}}
	ds, err := voice.Detect(context.Background(), s, w, day0.Add(120*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 2 {
		t.Fatalf("%d detections, want 2 (self_bits, fatigue): %+v", len(ds), ds)
	}
	for _, d := range ds {
		if d.Rule != "voice-founder" {
			t.Errorf("rule %q, want voice-founder", d.Rule)
		}
	}
}

func TestFatigueMarker(t *testing.T) {
	tests := []struct{ text, want string }{
		{"又来了又来了", "又来了"},
		{"熟悉的配方，熟悉的味道", "熟悉的配方"},
		{"雷总 Are You OK", "imitation: are you ok"},
		{"期待交付", ""},
	}
	for _, tt := range tests {
		if got := voice.FatigueMarker(tt.text, []string{"are you ok"}); got != tt.want {
			t.Errorf("FatigueMarker(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
