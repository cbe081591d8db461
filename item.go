package trustwatch

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Kind says what an item is.
type Kind string

// Item kinds.
const (
	KindPost      Kind = "post"
	KindComment   Kind = "comment"
	KindReview    Kind = "review"
	KindNews      Kind = "news"
	KindStatement Kind = "statement"
	// KindRepost is a share of another item (its ParentID) with or without
	// words of its own; Via holds the chain it came through.
	KindRepost Kind = "repost"
)

// Kinds lists the item kinds in the order they are offered to users.
var Kinds = []Kind{KindPost, KindComment, KindRepost, KindReview, KindNews, KindStatement}

// Valid reports whether k is one of the known kinds.
func (k Kind) Valid() bool {
	switch k {
	case KindPost, KindComment, KindRepost, KindReview, KindNews, KindStatement:
		return true
	}
	return false
}

// Label is a sentiment label.
type Label string

// Sentiment labels.
const (
	Positive Label = "pos"
	Negative Label = "neg"
	Neutral  Label = "neu"
)

// Item is the canonical unit of public text: a post, comment, review, news
// article or official statement. Only Text (or Title) and Time are required.
type Item struct {
	ID              string    `json:"id"`
	Platform        string    `json:"platform,omitempty"`
	Kind            Kind      `json:"kind,omitempty"`
	ParentID        string    `json:"parent_id,omitempty"`
	Author          string    `json:"author,omitempty"`
	AuthorFollowers int64     `json:"author_followers,omitempty"`
	Title           string    `json:"title,omitempty"`
	Text            string    `json:"text"`
	Time            time.Time `json:"time"`
	URL             string    `json:"url,omitempty"`
	Likes           int64     `json:"likes,omitempty"`
	Reposts         int64     `json:"reposts,omitempty"`
	Replies         int64     `json:"replies,omitempty"`
	Views           int64     `json:"views,omitempty"`
	Favorites       int64     `json:"favorites,omitempty"`

	// Tags are the platform's own tags or topics (#话题#, tag_list).
	Tags []string `json:"tags,omitempty"`
	// Keyword is the search query that found the item, when a crawler
	// searched for it (MediaCrawler's source_keyword).
	Keyword string `json:"keyword,omitempty"`
	// Lang is the item's language as a BCP 47 tag ("zh", "zh-Hant", "en");
	// analysis fills it when the source does not say.
	Lang string `json:"lang,omitempty"`
	// Via is, for a repost, the accounts it passed through on its way from
	// the original (the "//@name:" chain of its text), nearest first.
	Via []string `json:"via,omitempty"`

	// Filled by analysis on ingest.
	Tokens    []string    `json:"tokens,omitempty"`
	Entities  []string    `json:"entities,omitempty"`
	Sentiment Label       `json:"label,omitempty"`
	PPos      float64     `json:"p_pos,omitempty"`
	Aspects   []AspectHit `json:"aspects,omitempty"`

	// Normalized is FullText as analysis normalised it (segment.Normalize),
	// kept so that a store indexing the text does not normalise it a second
	// time; empty when the item was not analysed in this process. It is
	// never stored or sent.
	Normalized string `json:"-"`

	// Source is where the item was read: "file:line".
	Source string `json:"source,omitempty"`
}

// AspectHit is one aspect mentioned by an item, with the sentiment of the
// clause that mentions it.
type AspectHit struct {
	Aspect string `json:"aspect"`
	Label  Label  `json:"label"`
	Word   string `json:"word,omitempty"`
	Clause string `json:"clause,omitempty"`
}

// Body returns the item's text, or its title when it has no text.
func (it *Item) Body() string {
	if it.Text != "" {
		return it.Text
	}
	return it.Title
}

// FullText returns title and text together, as analysed.
func (it *Item) FullText() string {
	if it.Title == "" || it.Title == it.Text {
		return it.Text
	} else if it.Text == "" {
		return it.Title
	}
	return it.Title + "\n" + it.Text
}

// Engagement is likes + reposts + replies.
func (it *Item) Engagement() int64 { return it.Likes + it.Reposts + it.Replies }

// HashID is the identity of an item that came without one: a hash of
// platform, author, time and text, so that the same row read twice is the
// same item. It leads with the time (8 hex digits of the unix second), so
// that ingesting an export in time order appends to the store's identity
// index instead of writing all over it; 60 bits of hash follow.
func HashID(platform, author string, t time.Time, text string) string {
	h := sha256.New()
	for _, s := range []string{platform, author, strconv.FormatInt(t.Unix(), 10), text} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return fmt.Sprintf("h%08x%s", uint32(t.Unix()), hex.EncodeToString(h.Sum(nil))[:15])
}

// Validate checks the required fields and fills defaults (Kind post, an ID
// from HashID). It returns an EINVALID error naming what is missing.
func (it *Item) Validate() error {
	if strings.TrimSpace(it.Text) == "" && strings.TrimSpace(it.Title) == "" {
		return Errorf(EINVALID, "missing text")
	}
	if it.Time.IsZero() {
		return Errorf(EINVALID, "missing time")
	}
	if it.Kind == "" {
		it.Kind = KindPost
	} else if !it.Kind.Valid() {
		return Errorf(EINVALID, "unknown kind %q", it.Kind)
	}
	if it.ID == "" {
		it.ID = HashID(it.Platform, it.Author, it.Time, it.FullText())
	}
	return nil
}

// ItemFilter selects items. Zero fields do not filter.
type ItemFilter struct {
	Query    string // words, matched against the segmented text
	Entity   string
	Platform string
	Kind     Kind
	Author   string
	ParentID string
	Label    Label
	Aspect   string
	IDs      []string
	From, To time.Time // [From, To)

	// Order is "time" (newest first, the default), "time_asc" or
	// "engagement" (most engaged first).
	Order  string
	Offset int
	Limit  int

	// Estimate, when above 0, lets FindItems count matches exactly only
	// up to Estimate and estimate a larger total: counting every match of
	// a common word reads all of them. A total above Estimate is then an
	// estimate (the search page says 约). A store may always count exactly.
	// Below 0 the caller does not use the total: the store may skip the
	// count and return 0.
	Estimate int
}

// Quarantined is a piece of input that could not be read, kept with where it
// came from and why, so nothing is lost silently.
type Quarantined struct {
	ID     int64     `json:"id"`
	File   string    `json:"file"`
	Line   int       `json:"line"`
	Reason string    `json:"reason"`
	Raw    []byte    `json:"raw"`
	Time   time.Time `json:"time"` // when it was quarantined
}

// QuarantineFilter selects quarantine records.
type QuarantineFilter struct {
	File   string
	Offset int
	Limit  int
}

// OldestTime is the earliest Time of items, zero for none: where a batch
// that stored something sends the detectors back to.
func OldestTime(items []Item) time.Time {
	var oldest time.Time
	for _, it := range items {
		if oldest.IsZero() || it.Time.Before(oldest) {
			oldest = it.Time
		}
	}
	return oldest
}
