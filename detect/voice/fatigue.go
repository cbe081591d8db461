package voice

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"trustwatch"
)

// FatigueMarkers are phrases with which readers say they have heard it all
// before, or mock a familiar pitch. Matched on normalised text.
var FatigueMarkers = []string{
	"又来了", "熟悉的配方", "熟悉的味道", "复制粘贴", "学会了", "又是这套", "老一套",
	"车轱辘话", "复读机", "听腻了", "看腻了", "换汤不换药", "老生常谈", "ai写的",
}

// imitationMinRunes: a reply repeating a signature phrase this long is an
// imitation; shorter phrases are too common to tell.
const imitationMinRunes = 4

const fatigueExamples = 20

// fatigue reads the replies (items whose parent is a scored post) by other
// authors and counts those that express fatigue or imitate the account.
func (p *Profile) fatigue(ctx context.Context, items trustwatch.ItemStore, accounts map[string]bool) error {
	var sigs []string
	for _, ph := range p.SignaturePhrases {
		if utf8.RuneCountInString(ph.Text) >= imitationMinRunes {
			sigs = append(sigs, ph.Text)
		}
	}
	for _, pt := range p.Points {
		err := items.EachItem(ctx, trustwatch.ItemFilter{ParentID: pt.ItemID, Order: "time_asc"}, func(it *trustwatch.Item) error {
			if accounts[it.Author] {
				return nil
			}
			p.Replies++
			if m := FatigueMarker(it.FullText(), sigs); m != "" {
				p.Fatigue++
				p.FatigueReplies = append(p.FatigueReplies, FatigueReply{ItemID: it.ID, PostID: pt.ItemID, Time: it.Time,
					Author: it.Author, Text: it.Body(), Likes: it.Likes, Marker: m})
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("voice: reading replies to %q: %w", pt.ItemID, err)
		}
	}
	if p.Replies > 0 {
		p.FatigueShare = float64(p.Fatigue) / float64(p.Replies)
	}
	// Examples go round-robin over the markers, most liked first within
	// each, so one loud meme does not hide the others.
	slices.SortStableFunc(p.FatigueReplies, func(a, b FatigueReply) int {
		return cmp.Or(cmp.Compare(b.Likes, a.Likes), a.Time.Compare(b.Time))
	})
	rank := make(map[string]int, len(p.FatigueReplies))
	ranks := make([]int, len(p.FatigueReplies))
	for i, r := range p.FatigueReplies {
		ranks[i] = rank[r.Marker]
		rank[r.Marker]++
	}
	order := make([]int, len(ranks))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(ranks[a], ranks[b]) })
	examples := make([]FatigueReply, len(order))
	for i, j := range order {
		examples[i] = p.FatigueReplies[j]
	}
	p.FatigueReplies = examples
	if len(p.FatigueReplies) > fatigueExamples {
		p.FatigueReplies = p.FatigueReplies[:fatigueExamples]
	}
	return nil
}

// FatigueMarker returns the fatigue marker text contains, or
// "imitation: <phrase>" when it repeats one of the signature phrases, or "".
func FatigueMarker(text string, signatures []string) string {
	t := Normalize(text)
	for _, m := range FatigueMarkers {
		if strings.Contains(t, m) {
			return m
		}
	}
	for _, s := range signatures {
		if strings.Contains(t, s) {
			return "imitation: " + s
		}
	}
	return ""
}
