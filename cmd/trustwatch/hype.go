package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"trustwatch/hype"
)

// hypeResult is one scored text.
type hypeResult struct {
	Claim   string        `json:"claim,omitempty"`
	Text    string        `json:"text"`
	Score   int           `json:"score"`
	Reasons []hype.Reason `json:"reasons"`
}

func newHypeCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "hype [FILE|-]",
		Short: "Score marketing claims for hype (0–100), with the reasons",
		Long: `Score each non-empty line of FILE (or standard input with -) for hype:
absolute terms as 《广告法》第九条 and the SAMR guide judge them, superlatives
and rank claims, hype vocabulary, promises of certainty and lab-only figures.
Each reason is a matched span and a rule id. Without FILE, scores every
claim of the watch file (--config).`,
		Example: "  echo 地表最强，遥遥领先 | trustwatch hype -\n  trustwatch hype --config trustwatch.yaml --json",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var results []hypeResult
			if len(args) == 0 && a.configPath != "" {
				w, err := loadWatch(a)
				if err != nil {
					return err
				}
				for _, c := range w.Claims {
					results = append(results, scored(c.ID, c.Text))
				}
			} else {
				var r io.Reader = a.stdin
				name := "stdin"
				if len(args) == 1 && args[0] != "-" {
					f, err := os.Open(args[0])
					if err != nil {
						return fmt.Errorf("hype: %w", err)
					}
					defer f.Close()
					r, name = f, args[0]
				}
				sc := bufio.NewScanner(r)
				sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
				for sc.Scan() {
					if line := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff")); line != "" {
						results = append(results, scored("", line))
					}
				}
				if err := sc.Err(); err != nil {
					return fmt.Errorf("hype: %s: %w", name, err)
				}
			}
			if a.jsonOut {
				if results == nil {
					results = []hypeResult{}
				}
				return printJSON(a, results)
			}
			for _, r := range results {
				label := r.Text
				if r.Claim != "" {
					label = r.Claim + "  " + r.Text
				}
				fmt.Fprintf(a.stdout, "%3d  %s\n", r.Score, label)
				for _, why := range r.Reasons {
					fmt.Fprintf(a.stdout, "       %+5.0f  %-16s «%s»  %s\n", why.Points, why.Rule, why.Span, why.Note)
				}
			}
			return nil
		},
	}
}

func scored(claim, text string) hypeResult {
	s, rs := hype.Score(text)
	if rs == nil {
		rs = []hype.Reason{}
	}
	return hypeResult{Claim: claim, Text: text, Score: s, Reasons: rs}
}
