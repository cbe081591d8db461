package voice

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"
	"unicode/utf8"

	"trustwatch"
)

// Options tunes Analyze. Zero fields take the defaults.
type Options struct {
	// From and To bound the posts that are scored ([From, To)); earlier
	// posts still serve as history. Zero From scores every post.
	From, To time.Time
	// Order of the character model, 3..5 (default 5).
	Order int
	// History is how many of the account's latest earlier posts the self
	// model holds (default 50). A fixed-size window keeps the scores
	// comparable over time: a model that only grows would score later
	// posts lower merely because it has read more.
	History int
	// CrowdItems is how many of the latest other people's items the crowd
	// model holds (default 2000), for the same reason.
	CrowdItems int
	// CrowdLookback is how far before the first scored post crowd items
	// are read (default 30 days).
	CrowdLookback time.Duration
	// MinChars skips posts shorter than this after normalisation (default
	// 10): "转发微博" says nothing about a voice.
	MinChars int
	// MinPoints is the fewest full-history points a trend is computed
	// from (default 8).
	MinPoints int
}

func (o Options) withDefaults() Options {
	if o.Order == 0 {
		o.Order = DefaultOrder
	}
	o.Order = min(max(o.Order, MinOrder), MaxOrder)
	if o.History <= 0 {
		o.History = 50
	}
	if o.CrowdItems <= 0 {
		o.CrowdItems = 2000
	}
	if o.CrowdLookback <= 0 {
		o.CrowdLookback = 30 * 24 * time.Hour
	}
	if o.MinChars <= 0 {
		o.MinChars = 10
	}
	if o.MinPoints <= 0 {
		o.MinPoints = 8
	}
	return o
}

// Point is one scored post: its cross-entropy in bits per character against
// the account's own earlier posts (Self) and against everyone else (Crowd).
type Point struct {
	ItemID    string    `json:"item_id"`
	Time      time.Time `json:"time"`
	SelfBits  float64   `json:"self_bits"`
	CrowdBits float64   `json:"crowd_bits"`
	Chars     int       `json:"chars"`
	// History is how many earlier posts the self model held; Warmup is set
	// while that is fewer than Options.History, and such points are left
	// out of trends.
	History int  `json:"history"`
	Warmup  bool `json:"warmup,omitempty"`
}

// Distinct is how much better the account's own history predicts the post
// than the crowd does, in bits per character.
func (p Point) Distinct() float64 { return p.CrowdBits - p.SelfBits }

// Window summarises the points of one half of the scored span.
type Window struct {
	From      time.Time `json:"from"`
	To        time.Time `json:"to"`
	N         int       `json:"n"`
	SelfBits  float64   `json:"self_bits"`
	CrowdBits float64   `json:"crowd_bits"`
}

// Phrase is a signature phrase: a character string the account uses in
// many posts and the crowd seldom does.
type Phrase struct {
	Text       string  `json:"text"`
	Posts      int     `json:"posts"`
	Share      float64 `json:"share"`       // of the account's posts
	CrowdShare float64 `json:"crowd_share"` // of the crowd's items
	Lift       float64 `json:"lift"`        // Share over smoothed CrowdShare
}

// FatigueReply is a reply to one of the account's posts that expresses
// fatigue or parodies the account.
type FatigueReply struct {
	ItemID string    `json:"item_id"`
	PostID string    `json:"post_id"`
	Time   time.Time `json:"time"`
	Author string    `json:"author,omitempty"`
	Text   string    `json:"text"`
	Likes  int64     `json:"likes,omitempty"`
	// Marker is the fatigue phrase found, or "imitation: <phrase>" when
	// the reply repeats one of the account's signature phrases.
	Marker string `json:"marker"`
}

// Profile is the voice of one entity over a span.
type Profile struct {
	Entity   string    `json:"entity"`
	Name     string    `json:"name"` // the entity's display name`
	Accounts []string  `json:"accounts"`
	From     time.Time `json:"from,omitzero"`
	To       time.Time `json:"to,omitzero"`
	Order    int       `json:"order"`
	// N is the number of the account's posts read (history included).
	N      int     `json:"n"`
	Points []Point `json:"points"`
	// Trend is the least-squares slope of SelfBits over time among the
	// full-history points, in bits per character per 30 days: negative
	// means the voice is becoming more predictable. CrowdTrend is the
	// same for CrowdBits: negative means the crowd predicts the account
	// better, i.e. its voice is closer to everyone else's. Both are nil
	// when fewer than Options.MinPoints points have full history.
	Trend      *float64 `json:"trend"`
	CrowdTrend *float64 `json:"crowd_trend"`
	TrendN     int      `json:"trend_n"`
	// Early and Late are the first and second half of the full-history
	// points (nil when a trend is not computed).
	Early *Window `json:"early,omitempty"`
	Late  *Window `json:"late,omitempty"`

	SignaturePhrases []Phrase `json:"signature_phrases"`

	// Replies is the number of other people's replies to the scored posts,
	// FatigueShare the share of them that express fatigue or parody, and
	// FatigueReplies the most liked examples (at most 20).
	Replies        int            `json:"replies"`
	Fatigue        int            `json:"fatigue"`
	FatigueShare   float64        `json:"fatigue_share"`
	FatigueReplies []FatigueReply `json:"fatigue_replies"`
}

// post is an account's post with its normalised text.
type post struct {
	item *trustwatch.Item
	text string
}

// Analyze scores entityID's posts in [opt.From, opt.To) prequentially:
// each against a model of the account's own earlier posts and a model of
// the other authors' items before it, then adds it to the history.
func Analyze(ctx context.Context, items trustwatch.ItemStore, w *trustwatch.Watch, entityID string, opt Options) (*Profile, error) {
	opt = opt.withDefaults()
	ent := w.Entity(entityID)
	if ent == nil {
		return nil, trustwatch.Errorf(trustwatch.ENOTFOUND, "voice: entity %q is not in the watch file", entityID)
	} else if len(ent.Accounts) == 0 {
		return nil, trustwatch.Errorf(trustwatch.EINVALID, "voice: entity %q declares no accounts (watch file: entities[].accounts)", entityID)
	}
	accounts := map[string]bool{}
	for _, a := range ent.Accounts {
		accounts[a] = true
	}

	posts, err := accountPosts(ctx, items, ent.Accounts, opt)
	if err != nil {
		return nil, err
	}
	prof := &Profile{Entity: ent.ID, Name: ent.Name, Accounts: ent.Accounts, From: opt.From, To: opt.To, Order: opt.Order, N: len(posts),
		Points: []Point{}, SignaturePhrases: []Phrase{}, FatigueReplies: []FatigueReply{}}
	if len(posts) == 0 {
		return prof, nil
	}

	ownPosts := map[string]bool{}
	for _, p := range posts {
		ownPosts[p.item.ID] = true
	}
	self, crowd := New(opt.Order), New(opt.Order)
	var selfWin, crowdWin []string
	// crowdWords is the crowd window without the replies to the account,
	// for telling the account's own phrases from everyone else's.
	var crowdWords []string
	next := 0
	// scoreUntil scores and learns the account's posts up to and including
	// t (all of them when all is set): the crowd model then holds only
	// items before each post.
	scoreUntil := func(t time.Time, all bool) {
		for ; next < len(posts) && (all || !posts[next].item.Time.After(t)); next++ {
			p := posts[next]
			if inSpan(p.item.Time, opt.From, opt.To) {
				pt := Point{ItemID: p.item.ID, Time: p.item.Time, History: len(selfWin), Warmup: len(selfWin) < opt.History}
				pt.SelfBits = self.CrossEntropy(p.text)
				pt.CrowdBits = crowd.CrossEntropy(p.text)
				pt.Chars = utf8.RuneCountInString(p.text)
				prof.Points = append(prof.Points, pt)
			}
			self.Add(p.text)
			selfWin = append(selfWin, p.text)
			if len(selfWin) > opt.History {
				self.Remove(selfWin[0])
				selfWin = selfWin[1:]
			}
		}
	}

	crowdFrom := posts[0].item.Time
	if !opt.From.IsZero() && opt.From.After(crowdFrom) {
		crowdFrom = opt.From
	}
	crowdFrom = crowdFrom.Add(-opt.CrowdLookback)
	err = items.EachItem(ctx, trustwatch.ItemFilter{From: crowdFrom, To: opt.To, Order: "time_asc"}, func(it *trustwatch.Item) error {
		if accounts[it.Author] {
			return nil
		}
		text := Normalize(it.FullText())
		if text == "" {
			return nil
		}
		// Posts at the same instant as a crowd item are scored first:
		// the crowd model must not have read what came with them.
		scoreUntil(it.Time, false)
		crowd.Add(text)
		crowdWin = append(crowdWin, text)
		if len(crowdWin) > opt.CrowdItems {
			crowd.Remove(crowdWin[0])
			crowdWin = crowdWin[1:]
		}
		if !ownPosts[it.ParentID] {
			crowdWords = append(crowdWords, text)
			if len(crowdWords) > opt.CrowdItems {
				crowdWords = crowdWords[1:]
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("voice: reading crowd items: %w", err)
	}
	scoreUntil(time.Time{}, true)

	prof.trend(opt.MinPoints)
	texts := make([]string, len(posts))
	for i, p := range posts {
		texts[i] = p.text
	}
	prof.SignaturePhrases = signaturePhrases(texts, crowdWords)
	if err := prof.fatigue(ctx, items, accounts); err != nil {
		return nil, err
	}
	return prof, nil
}

// accountPosts returns the accounts' own posts up to opt.To, oldest first,
// without comments (an account's one-word replies are not its voice) and
// without posts shorter than opt.MinChars.
func accountPosts(ctx context.Context, items trustwatch.ItemStore, accounts []string, opt Options) ([]post, error) {
	seen := map[string]bool{}
	var posts []post
	for _, a := range accounts {
		err := items.EachItem(ctx, trustwatch.ItemFilter{Author: a, To: opt.To, Order: "time_asc"}, func(it *trustwatch.Item) error {
			if it.Kind == trustwatch.KindComment || seen[it.ID] {
				return nil
			}
			text := Normalize(it.FullText())
			if utf8.RuneCountInString(text) < opt.MinChars {
				return nil
			}
			seen[it.ID] = true
			cp := *it
			posts = append(posts, post{item: &cp, text: text})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("voice: reading posts of %q: %w", a, err)
		}
	}
	slices.SortStableFunc(posts, func(a, b post) int {
		if c := a.item.Time.Compare(b.item.Time); c != 0 {
			return c
		}
		return compareStrings(a.item.ID, b.item.ID)
	})
	return posts, nil
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func inSpan(t, from, to time.Time) bool {
	return (from.IsZero() || !t.Before(from)) && (to.IsZero() || t.Before(to))
}

// trend fits the slopes and the early/late halves over full-history points.
func (p *Profile) trend(minPoints int) {
	var full []Point
	for _, pt := range p.Points {
		if !pt.Warmup {
			full = append(full, pt)
		}
	}
	p.TrendN = len(full)
	if len(full) < minPoints {
		return
	}
	self, crowd := slope(full, func(pt Point) float64 { return pt.SelfBits }), slope(full, func(pt Point) float64 { return pt.CrowdBits })
	if !math.IsNaN(self) {
		p.Trend = &self
	}
	if !math.IsNaN(crowd) {
		p.CrowdTrend = &crowd
	}
	half := len(full) / 2
	p.Early, p.Late = window(full[:half]), window(full[half:])
}

// slope is the least-squares slope of y over time in units per 30 days;
// NaN when all points share one time.
func slope(pts []Point, y func(Point) float64) float64 {
	const month = 30 * 24 * time.Hour
	t0 := pts[0].Time
	var sx, sy float64
	for _, pt := range pts {
		sx += float64(pt.Time.Sub(t0)) / float64(month)
		sy += y(pt)
	}
	n := float64(len(pts))
	mx, my := sx/n, sy/n
	var sxy, sxx float64
	for _, pt := range pts {
		dx := float64(pt.Time.Sub(t0))/float64(month) - mx
		sxy += dx * (y(pt) - my)
		sxx += dx * dx
	}
	if sxx == 0 {
		return math.NaN()
	}
	return sxy / sxx
}

func window(pts []Point) *Window {
	w := &Window{From: pts[0].Time, To: pts[len(pts)-1].Time, N: len(pts)}
	for _, pt := range pts {
		w.SelfBits += pt.SelfBits
		w.CrowdBits += pt.CrowdBits
	}
	w.SelfBits /= float64(len(pts))
	w.CrowdBits /= float64(len(pts))
	return w
}
