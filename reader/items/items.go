package items

import (
	"io"

	"trustwatch"
	"trustwatch/reader/record"
)

// Format is the name of the format, used in errors.
const Format = "items"

// rawItem mirrors one canonical JSON object.
type rawItem struct {
	ID              record.Str `json:"id"`
	Platform        record.Str `json:"platform"`
	Kind            record.Str `json:"kind"`
	ParentID        record.Str `json:"parent_id"`
	Author          record.Str `json:"author"`
	AuthorFollowers record.Str `json:"author_followers"`
	Title           record.Str `json:"title"`
	Text            record.Str `json:"text"`
	Time            record.Str `json:"time"`
	URL             record.Str `json:"url"`
	Likes           record.Str `json:"likes"`
	Reposts         record.Str `json:"reposts"`
	Replies         record.Str `json:"replies"`
}

// Parse calls fn for every record of r, in order. Only I/O errors and fn's
// errors stop it.
func Parse(r io.Reader, cfg record.Config, fn func(record.Record) error) error {
	cfg = cfg.WithDefaults()
	return record.EachJSON(r, record.LineLimit(cfg.MaxField), func(line int, raw []byte, reason string) error {
		rec := record.Record{Line: line, Raw: record.Clone(raw)}
		if reason == "" {
			rec.Item, reason = adapt(raw, &cfg)
		}
		if reason != "" {
			rec.Item, rec.Err = nil, record.Errorf(Format, line, reason)
		}
		return fn(rec)
	})
}

func adapt(raw []byte, cfg *record.Config) (*trustwatch.Item, string) {
	var v rawItem
	if reason := record.Unmarshal(raw, &v); reason != "" {
		return nil, reason
	}
	it := &trustwatch.Item{
		ID:       v.ID.Trim(),
		Platform: v.Platform.Trim(),
		Kind:     trustwatch.Kind(v.Kind.Trim()),
		ParentID: v.ParentID.Trim(),
		Author:   v.Author.Trim(),
		Title:    string(v.Title),
		Text:     string(v.Text),
		URL:      v.URL.Trim(),
	}
	if it.Platform == "" {
		it.Platform = cfg.Platform
	}
	var reason string
	for _, c := range []struct {
		name string
		s    record.Str
		dst  *int64
	}{
		{"author_followers", v.AuthorFollowers, &it.AuthorFollowers},
		{"likes", v.Likes, &it.Likes},
		{"reposts", v.Reposts, &it.Reposts},
		{"replies", v.Replies, &it.Replies},
	} {
		if *c.dst, reason = record.Count(c.name, string(c.s)); reason != "" {
			return nil, reason
		}
	}
	if it.Time, reason = record.Time(string(v.Time), cfg); reason != "" {
		return nil, reason
	}
	if reason = record.ValidateItem(it, cfg.MaxField); reason != "" {
		return nil, reason
	}
	return it, ""
}
