package sla

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"trustwatch"
)

// waitDuration matches a stated wait: "等了40分钟", "等了半个小时",
// "等了一个多小时", "排队2小时", "6分钟才接通".
var waitDuration = regexp.MustCompile(`(?:等了?|排队|排了)\s*([0-9]+(?:\.[0-9]+)?|[零一二两三四五六七八九十百半几]+)\s*(个)?\s*(多|半)?\s*(个)?\s*(分钟|分|小时|钟头|天)|([0-9]+(?:\.[0-9]+)?|[一二两三四五六七八九十]+)\s*(分钟|小时)\s*(?:才|都没|还没|没有?)\s*(?:接通|打通|接|回复|回应|人理|到)`)

// waitPhrases are complaints about waiting that state no duration.
var waitPhrases = []string{
	"打不通", "没人接", "无人接听", "一直占线", "占线", "没人回", "没人理", "无人回复", "不回复", "迟迟不",
	"等了半天", "等了好久", "等半天", "等了很久", "等太久", "半天没人", "排队", "转人工", "接不通", "联系不上",
}

// WaitMention reports whether text complains about waiting, and the wait it
// states in minutes (0 when it states none, or only "几分钟").
func WaitMention(text string) (ok bool, minutes float64) {
	for _, m := range waitDuration.FindAllStringSubmatch(text, -1) {
		num, unit := m[1], m[5]
		half := m[3] == "半"
		if num == "" {
			num, unit = m[6], m[7]
		}
		v, known := chineseNumber(num)
		if !known {
			return true, 0
		}
		if half {
			v += 0.5
		}
		switch unit {
		case "小时", "钟头":
			v *= 60
		case "天":
			v *= 24 * 60
		}
		if v > minutes {
			minutes = v
		}
		ok = true
	}
	if ok {
		return true, minutes
	}
	for _, p := range waitPhrases {
		if strings.Contains(text, p) {
			return true, 0
		}
	}
	return false, 0
}

// chineseNumber reads "40", "2.5", "四十", "两", "十五", "半" (0.5). "几"
// is a number of unknown size.
func chineseNumber(s string) (float64, bool) {
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		return v, true
	}
	if s == "半" {
		return 0.5, true
	}
	digit := map[rune]int{'零': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	total, cur := 0, 0
	for _, r := range s {
		switch {
		case r == '十':
			if cur == 0 {
				cur = 1
			}
			total += cur * 10
			cur = 0
		case r == '百':
			if cur == 0 {
				cur = 1
			}
			total += cur * 100
			cur = 0
		default:
			d, ok := digit[r]
			if !ok {
				return 0, false
			}
			cur = d
		}
	}
	return float64(total + cur), true
}

// WaitReport is the share of complaints that mention waiting.
type WaitReport struct {
	N       int     `json:"n"`
	Waiting int     `json:"waiting"`
	Share   float64 `json:"share"`
	// Stated counts the complaints that state a wait; MedianMinutes and
	// MaxMinutes are over them (0 when none).
	Stated        int      `json:"stated"`
	MedianMinutes float64  `json:"median_minutes"`
	MaxMinutes    float64  `json:"max_minutes"`
	ItemIDs       []string `json:"item_ids"`
}

// WaitShare measures, over the given service complaints, the share that
// complain about waiting, and the waits they state. Which items are service
// complaints is the caller's choice (e.g. negative items on the service
// aspect).
func WaitShare(complaints []trustwatch.Item) WaitReport {
	rep := WaitReport{N: len(complaints)}
	var stated []float64
	for i := range complaints {
		ok, minutes := WaitMention(complaints[i].FullText())
		if !ok {
			continue
		}
		rep.Waiting++
		rep.ItemIDs = append(rep.ItemIDs, complaints[i].ID)
		if minutes > 0 {
			stated = append(stated, minutes)
		}
	}
	if rep.N > 0 {
		rep.Share = float64(rep.Waiting) / float64(rep.N)
	}
	if rep.Stated = len(stated); rep.Stated > 0 {
		slices.Sort(stated)
		rep.MedianMinutes = medianSorted(stated)
		rep.MaxMinutes = stated[len(stated)-1]
	}
	return rep
}

func medianSorted(s []float64) float64 {
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
