package reader

import (
	"bytes"
	"path"
	"strings"

	"trustwatch/reader/mediacrawler"
	"trustwatch/reader/record"
	"trustwatch/reader/weibocrawler"
)

// Detect names the format of an input from its name and a decoded prefix
// (at most SniffSize bytes: Read peeks no more): JSON keys or CSV header
// names decide. It returns "" when nothing fits.
func Detect(name string, prefix []byte, opt Options) string {
	trimmed := bytes.TrimLeft(prefix, " \t\r\n")
	if len(trimmed) == 0 {
		return ""
	}
	if trimmed[0] == '{' || trimmed[0] == '[' {
		return detectJSON(record.JSONKeys(trimmed))
	}
	line := trimmed
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	comma := record.DetectComma(line)
	if strings.EqualFold(path.Ext(name), ".tsv") {
		comma = '\t'
	}
	header := record.SplitLine(line, comma)
	h := map[string]bool{}
	for _, c := range header {
		h[strings.ToLower(strings.TrimSpace(c))] = true
	}
	if len(opt.Map) > 0 {
		return FormatCSV
	}
	return detectHeader(h)
}

func detectJSON(keys map[string]bool) string {
	switch {
	case keys["weibo"] && keys["user"], keys["bid"] && keys["attitudes_count"]:
		return FormatWeiboCrawler
	case hasAny(keys, mediacrawler.Keys...):
		return FormatMediaCrawler
	case keys["series"] && (keys["value"] || keys["count"]):
		return FormatMetrics
	case keys["entity"] && keys["kind"] && keys["title"]:
		return FormatEvents
	case keys["text"] || keys["title"] || keys["time"]:
		return FormatItems
	}
	return ""
}

func detectHeader(h map[string]bool) string {
	switch {
	case weibocrawler.IsPostHeader(h) || weibocrawler.IsCommentHeader(h):
		return FormatWeiboCrawler
	case hasAny(h, "note_id", "aweme_id", "video_id", "content_id") && hasAny(h, "comment_id", "liked_count", "like_count",
		"last_modify_ts", "nickname", "user_nickname", "creator_hash", "ip_location", "create_time", "publish_time", "created_time", "source_keyword"):
		return FormatMediaCrawler
	case h["series"] && (h["value"] || h["count"]):
		return FormatMetrics
	case h["entity"] && h["kind"] && h["title"]:
		return FormatEvents
	}
	return FormatCSV
}

func hasAny(set map[string]bool, keys ...string) bool {
	for _, k := range keys {
		if set[k] {
			return true
		}
	}
	return false
}
