package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"
)

// Key days of the scenario, counted from the launch (day 0).
const (
	DayDelivery    = 20
	DayComplaints  = 45
	DayAccident    = 70
	DayNickname    = 76 // first use of 程不群
	DayObjection   = 88
	DayLawsuit     = 90
	DayCourt       = 100
	DayRivalRecall = 104 // the competitor's own incident: a battery recall
	Days           = 120
)

// post is one generated item before it is written in a platform's format.
type post struct {
	platform string // weibo | xhs | douyin
	id       string
	parentID string
	author   string
	title    string
	text     string
	time     time.Time
	likes    int64
	reposts  int64
	replies  int64
	comment  bool
}

type generator struct {
	r *rand.Rand
	// rival draws the competitor's posts, so that adding them leaves
	// every draw of the main scenario as it was.
	rival *rand.Rand
	// wave draws the coordinated wave (wave.go), for the same reason.
	wave    *rand.Rand
	start   time.Time
	scale   float64
	posts   []post
	nextID  int64
	authors []string
}

// topic is a bank of post texts with its share of a day's posts.
type topic struct {
	bank   []string
	weight float64
	reply  []string // replies drawn for comments under such a post
	engage float64  // engagement multiplier
}

func (g *generator) id() string {
	g.nextID++
	return fmt.Sprintf("%d", 5000000000000000+g.nextID*7919)
}

func (g *generator) author() string {
	return g.authors[g.r.IntN(len(g.authors))]
}

// at returns a time on day d with a daily rhythm: quiet at night, busy in
// the evening.
func (g *generator) at(day int) time.Time {
	for {
		h := g.r.Float64() * 24
		// Acceptance weight: low 1–6 am, high 19–23.
		w := 0.3 + 0.7*math.Max(0, math.Sin((h-7)/24*2*math.Pi*0.5+0.2))
		if h < 6 {
			w = 0.15
		}
		if g.r.Float64() < w {
			return g.start.AddDate(0, 0, day).Add(time.Duration(h * float64(time.Hour)))
		}
	}
}

func (g *generator) engagement(mult float64) (likes, reposts int64) {
	l := math.Exp(g.r.NormFloat64()*1.3+2.2) * mult
	return int64(l), int64(l * 0.2 * g.r.Float64())
}

func (g *generator) platform() string {
	switch x := g.r.Float64(); {
	case x < 0.6:
		return "weibo"
	case x < 0.8:
		return "xhs"
	default:
		return "douyin"
	}
}

// dailyPosts is the number of original posts on a day, before scaling.
func dailyPosts(day int) float64 {
	n := 110.0
	switch {
	case day < 4:
		n = 420 - float64(day)*60
	case day >= DayAccident && day < DayAccident+6:
		n = 1100 - float64(day-DayAccident)*150
	case day >= DayLawsuit && day < DayLawsuit+4:
		n = 520 - float64(day-DayLawsuit)*80
	case day >= DayCourt && day < DayCourt+3:
		n = 420 - float64(day-DayCourt)*90
	case day >= DayAccident:
		n = 190
	case day >= DayComplaints:
		n = 140
	}
	return n
}

// nicknameCount is how many posts use the founder's nickname on a day: it
// appears on its own, grows for about ten days, then stays.
func nicknameCount(day int) int {
	if day < DayNickname {
		return 0
	}
	k := day - DayNickname
	if k > 10 {
		return 55 + (k % 3)
	}
	return int(math.Round(1.6 * math.Pow(1.45, float64(k))))
}

var shortReplies = []string{"同感", "太真实了", "+1", "确实", "蹲一个后续", "转发了", "说得对", "哈哈哈", "真的假的", "已转"}

func (g *generator) topics(day int) []topic {
	var ts []topic
	add := func(bank []string, w float64, reply []string, engage float64) {
		ts = append(ts, topic{bank: bank, weight: w, reply: reply, engage: engage})
	}
	// Complaints arrive in the order the essay tells them: fit and finish
	// after delivery, then service; brakes after the accident; the hood's
	// "double air duct" once owners take it apart.
	var complaintsNow []string
	for _, c := range []struct {
		kind string
		from int
	}{{"body", DayDelivery}, {"noise", DayDelivery}, {"software", DayDelivery}, {"design", 0},
		{"service", DayComplaints}, {"price", 60}, {"brakes", DayAccident}, {"hood", DayAccident + 12}} {
		if day >= c.from {
			complaintsNow = append(complaintsNow, complaints[c.kind]...)
		}
	}
	allComplaints := complaintsNow
	early := complaintsNow
	switch {
	case day < DayDelivery:
		add(launchPos, 0.6, fanReplies, 1.5)
		add(neutralTalk, 0.28, shortReplies, 1)
		add(complaints["design"], 0.06, shortReplies, 1)
		add(y7Talk, 0.06, shortReplies, 1)
	case day < DayComplaints:
		add(brakeConfirm, 0.04, shortReplies, 1.2)
		add(hoodConfirm, 0.02, shortReplies, 1.2)
		add(deliveryPos, 0.45, shortReplies, 1.2)
		add(launchPos, 0.1, fanReplies, 1)
		add(neutralTalk, 0.2, shortReplies, 1)
		add(early, 0.18, shortReplies, 1.3)
		add(y7Talk, 0.07, shortReplies, 1)
	case day < DayAccident:
		add(brakeConfirm, 0.03, shortReplies, 1.2)
		add(hoodConfirm, 0.01, shortReplies, 1.2)
		if day >= 60 {
			// The first owners take the hood apart: a trickle of doubt.
			add(complaints["hood"], 0.012, shortReplies, 1.5)
		}
		add(deliveryPos, 0.2, shortReplies, 1)
		add(allComplaints, 0.5, shortReplies, 1.5)
		add(neutralTalk, 0.2, shortReplies, 1)
		add(y7Talk, 0.1, shortReplies, 1)
	case day < DayLawsuit-2:
		add(accident, 0.35, shortReplies, 3)
		add(crisisNeg, 0.2, shortReplies, 2)
		add(allComplaints, 0.3, shortReplies, 1.5)
		add(neutralTalk, 0.1, shortReplies, 1)
		add(y7Talk, 0.05, shortReplies, 1)
	case day < DayCourt:
		add(lawsuitTalk, 0.35, shortReplies, 2.5)
		add(crisisNeg, 0.2, shortReplies, 2)
		add(allComplaints, 0.3, shortReplies, 1.5)
		add(neutralTalk, 0.1, shortReplies, 1)
		add(y7Talk, 0.05, shortReplies, 1)
	default:
		w := 0.1
		if day < DayCourt+4 {
			w = 0.35
		}
		add(courtTalk, w, shortReplies, 2.5)
		add(allComplaints, 0.35, shortReplies, 1.5)
		add(crisisNeg, 0.15, shortReplies, 1.5)
		add(deliveryPos, 0.1, shortReplies, 1)
		add(neutralTalk, 0.15, shortReplies, 1)
		add(y7Talk, 0.05, shortReplies, 1)
	}
	return ts
}

func (g *generator) choose(ts []topic) topic {
	var sum float64
	for _, t := range ts {
		sum += t.weight
	}
	x := g.r.Float64() * sum
	for _, t := range ts {
		if x < t.weight {
			return t
		}
		x -= t.weight
	}
	return ts[len(ts)-1]
}

// addPost writes a post and its comments.
func (g *generator) addPost(platform, author, text string, t time.Time, engage float64, replies []string, replyN int) {
	likes, reposts := g.engagement(engage)
	p := post{platform: platform, id: g.id(), author: author, text: text, time: t, likes: likes, reposts: reposts}
	if platform != "weibo" {
		p.title = firstClause(text)
	}
	parent := len(g.posts)
	g.posts = append(g.posts, p)
	for i := 0; i < replyN; i++ {
		ct := t.Add(time.Duration(g.r.ExpFloat64() * float64(3*time.Hour)))
		cl, _ := g.engagement(0.3)
		g.posts = append(g.posts, post{
			platform: platform, id: g.id(), parentID: p.id, author: g.author(),
			text: pick(g.r, replies), time: ct, likes: cl, comment: true,
		})
	}
	g.posts[parent].replies = int64(replyN)
}

func firstClause(s string) string {
	rs := []rune(s)
	for i, r := range rs {
		if r == '，' || r == '。' || r == '！' || r == '？' {
			return string(rs[:i])
		}
	}
	if len(rs) > 20 {
		return string(rs[:20])
	}
	return s
}

func (g *generator) replyCount() int {
	// Mostly 0–3 comments, a long tail.
	n := int(g.r.ExpFloat64() * 1.4)
	return min(n, 25)
}

func (g *generator) run() {
	for day := 0; day < Days; day++ {
		ts := g.topics(day)
		n := int(math.Round(dailyPosts(day) * g.scale * (0.9 + 0.2*g.r.Float64())))
		for i := 0; i < n; i++ {
			tp := g.choose(ts)
			text := decorate(g.r, pick(g.r, tp.bank))
			g.addPost(g.platform(), g.author(), text, g.at(day), tp.engage, tp.reply, g.replyCount())
		}
		// The nickname: on its own, in posts and in comments under the founder.
		for i := 0; i < int(math.Round(float64(nicknameCount(day))*g.scale)); i++ {
			text := decorate(g.r, pick(g.r, nicknameTalk))
			g.addPost(g.platform(), g.author(), text, g.at(day), 2, shortReplies, g.replyCount())
		}
		// The founder posts every other day; replies tire of him.
		if day%2 == 0 || (day >= DayAccident && day%3 == 0) {
			bank := founderEarly
			if day >= 60 {
				bank = founderLate
			}
			fatigue := 0.03
			switch {
			case day >= DayAccident:
				fatigue = 0.55
			case day >= 50:
				fatigue = 0.25
			case day >= 30:
				fatigue = 0.1
			}
			t := g.start.AddDate(0, 0, day).Add(time.Duration(9+g.r.IntN(12)) * time.Hour)
			likes, reposts := g.engagement(20)
			p := post{platform: "weibo", id: g.id(), author: "程朗", text: pick(g.r, bank), time: t, likes: likes, reposts: reposts}
			g.posts = append(g.posts, p)
			nr := 20 + g.r.IntN(30)
			for i := 0; i < nr; i++ {
				bankR := fanReplies
				if g.r.Float64() < fatigue {
					bankR = fatigueReplies
				} else if day >= DayNickname && g.r.Float64() < 0.25 {
					bankR = nicknameTalk
				}
				cl, _ := g.engagement(0.5)
				g.posts = append(g.posts, post{platform: "weibo", id: g.id(), parentID: p.id, author: g.author(),
					text: pick(g.r, bankR), time: t.Add(time.Duration(g.r.ExpFloat64() * float64(2*time.Hour))), likes: cl, comment: true})
			}
		}
		// The brand's official account answers complaints with canned replies.
		if day >= DayComplaints {
			for i := 0; i < 6; i++ {
				// Answer a recent weibo post.
				k := len(g.posts) - 1 - g.r.IntN(min(len(g.posts), 300))
				if g.posts[k].comment || g.posts[k].platform != "weibo" {
					continue
				}
				g.posts = append(g.posts, post{platform: "weibo", id: g.id(), parentID: g.posts[k].id, author: "曜川汽车",
					text: pick(g.r, officialReplies), time: g.posts[k].time.Add(40 * time.Minute), comment: true})
			}
		}
	}
	g.rivalPosts()
	g.coordinatedWave()
	sort.SliceStable(g.posts, func(i, j int) bool { return g.posts[i].time.Before(g.posts[j].time) })
}

// rivalPosts adds the competitor, 澜途汽车: a steady, mostly friendly
// stream at about a third of the brand's quiet-day volume, and its own
// incident (a battery recall) after the brand's crisis has passed, so
// share of voice has something to compare and a competitor incident
// shows beside the brand's alerts.
func (g *generator) rivalPosts() {
	if g.rival == nil {
		return
	}
	main := g.r
	g.r = g.rival
	defer func() { g.r = main }()
	for day := 0; day < Days; day++ {
		n, complaints := 36.0, 0.15
		if day >= DayRivalRecall && day < DayRivalRecall+5 {
			n, complaints = 300-float64(day-DayRivalRecall)*50, 0.8
		}
		for i := 0; i < int(math.Round(n*g.scale*(0.9+0.2*g.r.Float64()))); i++ {
			bank, engage := rivalTalk, 1.0
			if g.r.Float64() < complaints {
				bank, engage = rivalComplaints, 2
			}
			g.addPost(g.platform(), g.author(), decorate(g.r, pick(g.r, bank)), g.at(day), engage, shortReplies, g.replyCount()/2)
		}
	}
}
