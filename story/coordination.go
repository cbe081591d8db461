package story

import (
	"cmp"
	"strings"
	"time"
	"unicode/utf8"

	"trustwatch"
)

// Defaults of CoordinationOptions.
const (
	// DefaultBurstWindow and DefaultBurstAccounts: copies of one text
	// from five accounts within five minutes. People who read the same
	// post and agree write in their own words, or repost; five accounts
	// pasting one text inside five minutes is what a dispatched wave looks
	// like — and also what a fan group answering a call looks like.
	DefaultBurstWindow   = 5 * time.Minute
	DefaultBurstAccounts = 5
	DefaultExamples      = 3
)

// minDigits is how many trailing digits make a name look generated when
// several accounts share the prefix before them; defaultDigits how many
// follow 用户 in a platform's default name (Weibo gives 用户 and the
// 10-digit uid; Douyin's are longer).
const (
	minDigits     = 6
	defaultDigits = 9
)

// minPrefixAccounts is how many accounts must share a prefix before its
// digits for prefix+digits to count as a pattern: one 小王123456 is a
// person, three 曜川车主xxxxxx in one story are a batch.
const minPrefixAccounts = 3

// CoordinationOptions tune the coordination signals.
type CoordinationOptions struct {
	BurstWindow   time.Duration // DefaultBurstWindow when 0
	BurstAccounts int           // DefaultBurstAccounts when 0
	Examples      int           // examples per signal, DefaultExamples when 0
}

// Coordination is the evidence that part of a set of items may be
// coordinated. None of it is proof: real anger produces copies and bursts
// too (people paste a call to action), and a paid wave can be written to
// look organic. It says how many items show which pattern, with examples
// to read.
type Coordination struct {
	// Items is the number of items the shares are of.
	Items int
	// Copies are items whose text is a near-duplicate of an item by
	// another account (reposts without own words are not copies).
	Copies Signal
	// NewAccounts are copies by accounts first seen in the window (no
	// earlier item by that account among the items given).
	NewAccounts Signal
	// Bursts are copies posted within BurstWindow by at least
	// BurstAccounts accounts.
	Bursts Signal
	// Masked are items by accounts with masked or generated nicknames
	// (用户1234567890, 手机用户, 张**, or a prefix and digits several
	// accounts share).
	Masked Signal
	// Suspected is the 「疑似协同」 share: copies that show at least two
	// of the three signals (a new account, a burst, a masked name). Each
	// alone is common in genuine talk: most accounts in a keyword crawl
	// post once, many keep the name the platform gave them, and people
	// paste a call to action within minutes of reading it.
	Suspected Signal
}

// Signal is one pattern: how many items show it, their share of
// Coordination.Items, and the first few of them.
type Signal struct {
	Count    int
	Share    float64
	Examples []trustwatch.Item
}

// Coordinate computes the coordination signals over the window's items
// (opt.From, opt.To), with the items before From as the background that
// tells known accounts from new ones.
func Coordinate(items []trustwatch.Item, opt Options) Coordination {
	w := newWindow(items, opt)
	all := make([]int, len(w.docs))
	for i := range all {
		all[i] = i
	}
	return w.coordination(all)
}

// coordination computes the signals over members, window indices in time
// order that hold whole text groups.
func (w *window) coordination(members []int) Coordination {
	opt := w.opt.Coordination
	burstWindow := cmp.Or(opt.BurstWindow, DefaultBurstWindow)
	burstAccounts := cmp.Or(opt.BurstAccounts, DefaultBurstAccounts)
	examples := cmp.Or(opt.Examples, DefaultExamples)

	byText := map[int][]int{}
	for _, i := range members {
		byText[w.text[i]] = append(byText[w.text[i]], i)
	}
	copied, burst := map[int]bool{}, map[int]bool{}
	for _, g := range byText {
		if len(g) < 2 || accounts(w, g) < 2 {
			continue
		}
		for _, i := range g {
			copied[i] = true
		}
		markBursts(w, g, burstWindow, burstAccounts, burst)
	}
	masked := w.maskedAuthors(members)

	c := Coordination{Items: len(members)}
	add := func(s *Signal, i int) {
		s.Count++
		if len(s.Examples) < examples {
			s.Examples = append(s.Examples, *w.docs[i].it)
		}
	}
	for _, i := range members {
		it := w.docs[i].it
		isNew := it.Author != "" && !w.known[authorKey(it)]
		isMasked := masked[authorKey(it)]
		if isMasked {
			add(&c.Masked, i)
		}
		if !copied[i] {
			continue
		}
		add(&c.Copies, i)
		if isNew {
			add(&c.NewAccounts, i)
		}
		if burst[i] {
			add(&c.Bursts, i)
		}
		if signals := btoi(isNew) + btoi(burst[i]) + btoi(isMasked); signals >= 2 {
			add(&c.Suspected, i)
		}
	}
	for _, s := range []*Signal{&c.Copies, &c.NewAccounts, &c.Bursts, &c.Masked, &c.Suspected} {
		if c.Items > 0 {
			s.Share = float64(s.Count) / float64(c.Items)
		}
	}
	return c
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// accounts counts the distinct accounts of g.
func accounts(w *window, g []int) int {
	seen := map[string]bool{}
	for _, i := range g {
		seen[authorKey(w.docs[i].it)] = true
	}
	return len(seen)
}

// markBursts marks the items of g (in time order) that fall in a span of
// at most span holding items from at least need accounts: a sliding
// window over time with a count of the accounts inside it.
func markBursts(w *window, g []int, span time.Duration, need int, burst map[int]bool) {
	inside := map[string]int{}
	lo := 0
	for hi, i := range g {
		inside[authorKey(w.docs[i].it)]++
		for w.docs[i].it.Time.Sub(w.docs[g[lo]].it.Time) > span {
			k := authorKey(w.docs[g[lo]].it)
			if inside[k]--; inside[k] == 0 {
				delete(inside, k)
			}
			lo++
		}
		if len(inside) >= need {
			for _, j := range g[lo : hi+1] {
				burst[j] = true
			}
		}
	}
}

// maskedAuthors are the accounts among members whose names are masked or
// generated: a platform's default name, stars, or a prefix and at least
// minDigits digits that minPrefixAccounts accounts share.
func (w *window) maskedAuthors(members []int) map[string]bool {
	out := map[string]bool{}
	byPrefix := map[string]map[string]bool{}
	for _, i := range members {
		it := w.docs[i].it
		if it.Author == "" {
			continue
		}
		k := authorKey(it)
		if defaultName(it.Author) {
			out[k] = true
			continue
		}
		// 用户 and digits is the platforms' own pattern: defaultName
		// judges it; the prefix rule is for batches someone named.
		if prefix, ok := digitTail(it.Author, minDigits); ok && namedPrefix(prefix) {
			p := it.Platform + "\x00" + prefix
			if byPrefix[p] == nil {
				byPrefix[p] = map[string]bool{}
			}
			byPrefix[p][k] = true
		}
	}
	for _, accounts := range byPrefix {
		if len(accounts) >= minPrefixAccounts {
			for k := range accounts {
				out[k] = true
			}
		}
	}
	return out
}

// namedPrefix reports whether a prefix before digits reads as a name
// someone gave a batch of accounts (曜川车主, 真相君): not 用户, the
// platforms' own pattern, which defaultName judges, and not Latin letters
// alone, which is how ids and hashes look (MediaCrawler's newer schema
// gives the creator hash, "c" and digits, instead of the masked nickname).
func namedPrefix(prefix string) bool {
	if prefix == "用户" || utf8.RuneCountInString(prefix) < 2 {
		return false
	}
	for _, r := range prefix {
		if r >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// defaultName reports whether name is one a platform gives an account
// that never chose one (用户5839201746, 手机用户, 手机用户3829) or one
// masked with stars (张**, 138****5678). 用户 with fewer digits
// (用户1234567) is a name someone typed.
func defaultName(name string) bool {
	switch {
	case strings.Contains(name, "*"):
		return true
	case strings.HasPrefix(name, "手机用户"):
		return true
	case strings.HasPrefix(name, "用户"):
		prefix, ok := digitTail(name, defaultDigits)
		return ok && prefix == "用户"
	}
	return false
}

// digitTail splits name into its prefix and a tail of at least digits
// ASCII digits; ok is false when the tail is shorter.
func digitTail(name string, digits int) (prefix string, ok bool) {
	i := len(name)
	for i > 0 && name[i-1] >= '0' && name[i-1] <= '9' {
		i--
	}
	if len(name)-i < digits {
		return "", false
	}
	return strings.TrimRight(name[:i], "_-"), utf8.ValidString(name[:i])
}
