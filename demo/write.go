package demo

import (
	_ "embed"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"trustwatch"
)

//go:embed watch.yaml
var watchYAML []byte

// Start is the launch day of the scenario.
var Start = time.Date(2025, 3, 3, 0, 0, 0, 0, trustwatch.DefaultLocation())

// Files lists what Generate wrote.
type Files struct {
	Dir     string   // everything is under Dir
	Watch   string   // the watch file
	Items   []string // MediaCrawler exports
	Metrics string   // metric series (CSV)
	Defects string   // defect batches (CSV)
	Events  string   // events (JSONL)
	Count   int      // items written
}

// Generate writes the scenario under dir, deterministically for seed.
// scale multiplies the volume (1 gives about 50,000 items).
func Generate(dir string, seed uint64, scale float64) (*Files, error) {
	if scale <= 0 {
		scale = 1
	}
	g := &generator{r: rand.New(rand.NewPCG(seed, 0x7472757374)), rival: rand.New(rand.NewPCG(seed, 0x726976616c)),
		wave: rand.New(rand.NewPCG(seed, 0x77617665)), start: Start, scale: scale}
	for i := 0; i < 6000; i++ {
		g.authors = append(g.authors, fmt.Sprintf("用户%07d", g.r.IntN(9999999)))
	}
	g.run()
	pts := g.signals()
	evs := g.events()

	f := &Files{Dir: dir, Count: len(g.posts)}
	if err := os.MkdirAll(filepath.Join(dir, "mediacrawler"), 0o755); err != nil {
		return nil, err
	}
	f.Watch = filepath.Join(dir, "trustwatch.yaml")
	if err := os.WriteFile(f.Watch, watchYAML, 0o644); err != nil {
		return nil, err
	}
	byPlatform := map[string][]post{}
	for _, p := range g.posts {
		byPlatform[p.platform] = append(byPlatform[p.platform], p)
	}
	writers := []struct {
		platform string
		write    func(string, []post) ([]string, error)
	}{
		{"weibo", writeWeibo},
		{"xhs", writeXHS},
		{"douyin", writeDouyin},
	}
	for _, w := range writers {
		paths, err := w.write(filepath.Join(dir, "mediacrawler", w.platform), byPlatform[w.platform])
		if err != nil {
			return nil, fmt.Errorf("demo: %s: %w", w.platform, err)
		}
		f.Items = append(f.Items, paths...)
	}
	var err error
	if f.Metrics, f.Defects, err = writeMetrics(dir, pts); err != nil {
		return nil, err
	}
	if f.Events, err = writeEvents(dir, evs); err != nil {
		return nil, err
	}
	return f, nil
}

func writeJSONL(path string, rows []map[string]any) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	enc.SetEscapeHTML(false)
	for _, r := range rows {
		if err := enc.Encode(r); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

func writeJSONArray(path string, rows []map[string]any) error {
	b, err := json.MarshalIndent(rows, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

func writeCSV(path string, header []string, rows [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write(header)
	w.WriteAll(rows)
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func userID(author string) string {
	h := 0
	for _, r := range author {
		h = h*31 + int(r)
	}
	return strconv.Itoa(1000000000 + h&0x3fffffff)
}

// writeWeibo writes MediaCrawler's Weibo export in its older schema
// (user_id, nickname), as JSONL: contents and comments in separate files.
func writeWeibo(dir string, posts []post) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var contents, comments []map[string]any
	for _, p := range posts {
		ts := p.time.Unix()
		if p.comment {
			comments = append(comments, map[string]any{
				"comment_id": p.id, "create_time": ts, "create_date_time": p.time.Format("2006-01-02 15:04:05"),
				"note_id": p.parentID, "content": p.text, "sub_comment_count": "0",
				"comment_like_count": strconv.FormatInt(p.likes, 10), "last_modify_ts": ts * 1000,
				"ip_location": "发布于 北京", "parent_comment_id": 0,
				"user_id": userID(p.author), "nickname": p.author, "gender": "未知",
				"profile_url": "https://weibo.cn/u/" + userID(p.author), "avatar": "",
			})
			continue
		}
		contents = append(contents, map[string]any{
			"note_id": p.id, "content": p.text, "create_time": ts,
			"create_date_time": p.time.Format("2006-01-02 15:04:05"),
			"liked_count":      countString(p.likes), "comments_count": strconv.FormatInt(p.replies, 10),
			"shared_count": strconv.FormatInt(p.reposts, 10), "last_modify_ts": ts * 1000,
			"note_url": "https://m.weibo.cn/detail/" + p.id, "ip_location": "发布于 上海",
			"user_id": userID(p.author), "nickname": p.author, "gender": "未知",
			"profile_url": "https://weibo.cn/u/" + userID(p.author), "avatar": "", "source_keyword": "曜川",
		})
	}
	a, b := filepath.Join(dir, "search_contents.jsonl"), filepath.Join(dir, "search_comments.jsonl")
	if err := writeJSONL(a, contents); err != nil {
		return nil, err
	}
	return []string{a, b}, writeJSONL(b, comments)
}

// countString writes large counts the way the platforms display them.
func countString(n int64) string {
	if n >= 10000 {
		return strconv.FormatFloat(float64(n)/10000, 'f', 1, 64) + "万"
	}
	return strconv.FormatInt(n, 10)
}

// writeXHS writes MediaCrawler's Xiaohongshu export in its newer schema
// (creator_hash and a masked nickname), as JSON arrays.
func writeXHS(dir string, posts []post) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var notes, comments []map[string]any
	for _, p := range posts {
		ms := p.time.UnixMilli()
		nick := []rune(p.author)
		masked := string(nick[:1]) + "***"
		if p.comment {
			comments = append(comments, map[string]any{
				"comment_id": p.id, "create_time": ms, "ip_location": "广东", "note_id": p.parentID,
				"content": p.text, "creator_hash": "c" + userID(p.author), "nickname": masked,
				"sub_comment_count": "0", "pictures": "", "parent_comment_id": 0,
				"last_modify_ts": ms, "like_count": strconv.FormatInt(p.likes, 10),
			})
			continue
		}
		notes = append(notes, map[string]any{
			"note_id": p.id, "type": "normal", "title": p.title, "desc": p.text, "video_url": "",
			"time": ms, "last_update_time": ms, "creator_hash": "c" + userID(p.author), "nickname": masked,
			"liked_count": countString(p.likes), "collected_count": "0",
			"comment_count": strconv.FormatInt(p.replies, 10), "share_count": strconv.FormatInt(p.reposts, 10),
			"ip_location": "广东", "image_list": "", "tag_list": "汽车", "last_modify_ts": ms,
			"note_url": "https://www.xiaohongshu.com/explore/" + p.id, "source_keyword": "曜川",
		})
	}
	a, b := filepath.Join(dir, "search_contents.json"), filepath.Join(dir, "search_comments.json")
	if err := writeJSONArray(a, notes); err != nil {
		return nil, err
	}
	return []string{a, b}, writeJSONArray(b, comments)
}

// writeDouyin writes MediaCrawler's Douyin export in its older schema, as CSV.
func writeDouyin(dir string, posts []post) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	ah := []string{"aweme_id", "aweme_type", "title", "desc", "create_time", "user_id", "sec_uid", "short_user_id",
		"user_unique_id", "user_signature", "nickname", "avatar", "liked_count", "comment_count", "share_count",
		"collected_count", "ip_location", "last_modify_ts", "aweme_url", "cover_url", "video_download_url", "source_keyword"}
	ch := []string{"comment_id", "create_time", "ip_location", "aweme_id", "content", "user_id", "sec_uid",
		"short_user_id", "user_unique_id", "user_signature", "nickname", "avatar", "sub_comment_count",
		"last_modify_ts", "like_count", "parent_comment_id", "pictures"}
	var aw, cm [][]string
	for _, p := range posts {
		ts := strconv.FormatInt(p.time.Unix(), 10)
		uid := userID(p.author)
		if p.comment {
			cm = append(cm, []string{p.id, ts, "四川", p.parentID, p.text, uid, "MS4w" + uid, uid, uid, "", p.author, "",
				"0", ts + "000", strconv.FormatInt(p.likes, 10), "0", ""})
			continue
		}
		aw = append(aw, []string{p.id, "0", p.title, p.text, ts, uid, "MS4w" + uid, uid, uid, "", p.author, "",
			countString(p.likes), strconv.FormatInt(p.replies, 10), strconv.FormatInt(p.reposts, 10), "0", "四川",
			ts + "000", "https://www.douyin.com/video/" + p.id, "", "", "曜川"})
	}
	a, b := filepath.Join(dir, "search_contents.csv"), filepath.Join(dir, "search_comments.csv")
	if err := writeCSV(a, ah, aw); err != nil {
		return nil, err
	}
	return []string{a, b}, writeCSV(b, ch, cm)
}

func writeMetrics(dir string, pts []point) (metrics, defects string, err error) {
	path := filepath.Join(dir, "metrics.csv")
	var rows [][]string
	for _, p := range pts {
		if p.sample > 0 {
			continue
		}
		rows = append(rows, []string{p.series, p.t.Format(time.RFC3339), strconv.FormatFloat(p.value, 'f', -1, 64)})
	}
	if err := writeCSV(path, []string{"series", "time", "value"}, rows); err != nil {
		return "", "", err
	}
	var drows [][]string
	for _, p := range pts {
		if p.sample > 0 {
			drows = append(drows, []string{p.series, p.t.Format(time.RFC3339), strconv.FormatFloat(p.count, 'f', -1, 64),
				strconv.FormatFloat(p.sample, 'f', -1, 64), p.batch})
		}
	}
	dpath := filepath.Join(dir, "defects.csv")
	if err := writeCSV(dpath, []string{"series", "time", "count", "sample", "batch"}, drows); err != nil {
		return "", "", err
	}
	return path, dpath, nil
}

func writeEvents(dir string, evs []event) (string, error) {
	path := filepath.Join(dir, "events.jsonl")
	var rows []map[string]any
	for _, e := range evs {
		rows = append(rows, map[string]any{"time": e.t.Format(time.RFC3339), "entity": e.entity, "kind": e.kind,
			"title": e.title, "text": e.text})
	}
	return path, writeJSONL(path, rows)
}
