package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"trustwatch/detect/voice"
)

func newVoiceCmd(a *app) *cobra.Command {
	var entity, from, to string
	var order, history int
	cmd := &cobra.Command{
		Use:   "voice",
		Short: "How predictable an entity's own posts have become, and the fatigue in the replies",
		Long: `Scores each post of the entity's accounts (entities[].accounts in the watch
file) by its cross-entropy in bits per character against the account's own
latest earlier posts and against everyone else's items before it (character
n-gram model, interpolated modified Kneser-Ney). A falling self cross-entropy
means the voice is becoming predictable. Also lists the account's signature
phrases and the replies that express fatigue or parody ("又来了", "熟悉的配方",
imitations of the signature phrases).`,
		Example: "  trustwatch voice --db su7.db --config trustwatch.yaml --entity leijun --from 2024-01-01 --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if entity == "" {
				return usageError{fmt.Errorf("--entity is required")}
			}
			loc, err := location(a)
			if err != nil {
				return err
			}
			opt := voice.Options{Order: order, History: history}
			if opt.From, opt.To, err = parseSpan(from, to, loc); err != nil {
				return err
			}
			w, db, err := openWatchStore(cmd.Context(), a)
			if err != nil {
				return err
			}
			defer db.Close()
			p, err := voice.Analyze(cmd.Context(), db, w, entity, opt)
			if err != nil {
				return err
			}
			if a.jsonOut {
				return printJSON(a, p)
			}
			printVoice(a, p, loc)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&entity, "entity", "", "entity id of the watch file (with accounts)")
	f.StringVar(&from, "from", "", "first day of posts to score (earlier posts are history)")
	f.StringVar(&to, "to", "", "last day of posts to score")
	f.IntVar(&order, "order", voice.DefaultOrder, "n-gram order, 3..5")
	f.IntVar(&history, "history", 50, "earlier posts the self model holds")
	return cmd
}

func printVoice(a *app, p *voice.Profile, loc *time.Location) {
	out := a.stdout
	fmt.Fprintf(out, "%s (accounts %v): %d posts read, %d scored\n", p.Entity, p.Accounts, p.N, len(p.Points))
	if p.Trend == nil {
		fmt.Fprintf(out, "trend: not enough data (%d posts with full history, need more)\n", p.TrendN)
	} else {
		fmt.Fprintf(out, "trend: self %+.3f bits/char per 30 days", *p.Trend)
		if p.CrowdTrend != nil {
			fmt.Fprintf(out, ", crowd %+.3f", *p.CrowdTrend)
		}
		fmt.Fprintf(out, " (n=%d)\n", p.TrendN)
		fmt.Fprintf(out, "early half: self %.2f, crowd %.2f bits/char (n=%d); late half: self %.2f, crowd %.2f (n=%d)\n",
			p.Early.SelfBits, p.Early.CrowdBits, p.Early.N, p.Late.SelfBits, p.Late.CrowdBits, p.Late.N)
	}
	if len(p.SignaturePhrases) > 0 {
		fmt.Fprintln(out, "signature phrases:")
		for _, ph := range p.SignaturePhrases {
			fmt.Fprintf(out, "  %-16s %4d posts (%.0f%%), crowd %.1f%%, lift %.0f\n", ph.Text, ph.Posts, 100*ph.Share, 100*ph.CrowdShare, ph.Lift)
		}
	}
	fmt.Fprintf(out, "fatigue: %d of %d replies (%.1f%%)\n", p.Fatigue, p.Replies, 100*p.FatigueShare)
	for _, r := range p.FatigueReplies {
		fmt.Fprintf(out, "  %s  %-10s %s  [%s]\n", r.Time.In(loc).Format("2006-01-02"), oneLine(r.Marker, 20), oneLine(r.Text, 60), r.ItemID)
	}
	if len(p.Points) > 0 {
		fmt.Fprintln(out, "latest posts (bits/char: self, crowd):")
		for _, pt := range p.Points[max(0, len(p.Points)-10):] {
			warm := ""
			if pt.Warmup {
				warm = " (warm-up)"
			}
			fmt.Fprintf(out, "  %s  %5.2f  %5.2f  %s%s\n", pt.Time.In(loc).Format("2006-01-02 15:04"), pt.SelfBits, pt.CrowdBits, pt.ItemID, warm)
		}
	}
}
