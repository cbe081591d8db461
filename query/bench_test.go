package query

import (
	"encoding/csv"
	"os"
	"strings"
	"testing"

	"trustwatch"
)

// commentsPath is a real sample of Weibo comments (see ../shared/data).
const commentsPath = "../../shared/data/su7_launch_comments/weibo_comments.csv"

// benchQueries are typical topic queries.
var benchQueries = []string{
	"刹车",
	"刹车 异响",
	`"刹车异响"`,
	"刹车 NEAR/5 异响",
	"(su7 OR yu7) 价格 -定金",
	"雷总 OR 雷军 OR leijun",
	"车 sentiment:neg",
	"续航 OR 充电 OR 电池",
	"小米 -手机 likes:>100",
	"智驾 NEAR/10 事故 OR 辅助驾驶 NEAR/10 事故",
}

// loadComments returns the comments of the sample, and "posts" of ten
// consecutive comments each (about 230 characters, a common Weibo post
// length; the comments average 23).
func loadComments(b *testing.B) (comments, posts []*Doc) {
	f, err := os.Open(commentsPath)
	if err != nil {
		b.Skipf("real data absent (%v): see ../shared/data/README.md", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		b.Fatal(err)
	}
	rows = rows[1:]
	for i, r := range rows {
		comments = append(comments, NewDoc(&trustwatch.Item{Text: r[1], Sentiment: trustwatch.Negative, Likes: int64(len(r[1]))}))
		if i%10 == 9 {
			var text strings.Builder
			for _, p := range rows[i-9 : i+1] {
				text.WriteString(p[1])
				text.WriteString("\n")
			}
			posts = append(posts, NewDoc(&trustwatch.Item{Text: text.String(), Sentiment: trustwatch.Negative, Likes: int64(i)}))
		}
	}
	return comments, posts
}

// BenchmarkMatch matches the ten queries against every comment of the
// sample, and against posts of ten comments; ns/match is one query against
// one document.
func BenchmarkMatch(b *testing.B) {
	comments, posts := loadComments(b)
	var qs []*Query
	for _, s := range benchQueries {
		q, err := Parse(s, Options{})
		if err != nil {
			b.Fatal(err)
		}
		qs = append(qs, q)
	}
	for _, set := range []struct {
		name string
		docs []*Doc
	}{{"comments", comments}, {"posts", posts}} {
		b.Run(set.name, func(b *testing.B) {
			matched := 0
			for b.Loop() {
				matched = 0
				for _, q := range qs {
					for _, d := range set.docs {
						if q.Match(d) {
							matched++
						}
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(qs)*len(set.docs)), "ns/match")
			b.ReportMetric(float64(matched), "matches")
		})
	}
}

// BenchmarkNewDoc prepares every comment of the sample once per op.
func BenchmarkNewDoc(b *testing.B) {
	f, err := os.Open(commentsPath)
	if err != nil {
		b.Skipf("real data absent (%v): see ../shared/data/README.md", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		b.Fatal(err)
	}
	items := make([]trustwatch.Item, len(rows)-1)
	for i, r := range rows[1:] {
		items[i].Text = r[1]
	}
	b.ResetTimer()
	for b.Loop() {
		for i := range items {
			NewDoc(&items[i])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(items)), "ns/item")
}
