package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"trustwatch"
)

type statsRow struct {
	Period string  `json:"period"`
	Count  int64   `json:"count"`
	Pos    int64   `json:"pos"`
	Neg    int64   `json:"neg"`
	Neu    int64   `json:"neu"`
	Net    float64 `json:"net"`
}

func newStatsCmd(a *app) *cobra.Command {
	var by, entity, platform, from, to string
	cmd := &cobra.Command{
		Use:     "stats",
		Short:   "Print the volume (and sentiment) series from the rollups",
		Example: "  trustwatch stats --db su7.db --by day --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if by != "day" && by != "hour" {
				return usageError{fmt.Errorf("--by must be day or hour, got %q", by)}
			}
			loc, err := location(a)
			if err != nil {
				return err
			}
			f := trustwatch.VolumeFilter{By: trustwatch.Period(by), Entity: entity, Platform: platform}
			if f.From, f.To, err = parseSpan(from, to, loc); err != nil {
				return err
			}
			db, err := openStore(cmd.Context(), a)
			if err != nil {
				return err
			}
			defer db.Close()
			pts, err := db.Volume(cmd.Context(), f)
			if err != nil {
				return err
			}
			layout := "2006-01-02"
			if by == "hour" {
				layout = "2006-01-02T15:00"
			}
			rows := make([]statsRow, 0, len(pts))
			var total int64
			for _, p := range pts {
				rows = append(rows, statsRow{Period: p.Period.In(loc).Format(layout), Count: p.Count, Pos: p.Pos, Neg: p.Neg, Neu: p.Neu, Net: round3(p.Net())})
				total += p.Count
			}
			if a.jsonOut {
				return printJSON(a, rows)
			}
			fmt.Fprintf(a.stdout, "%-17s %7s %6s %6s %6s %6s\n", by, "count", "pos", "neg", "neu", "net")
			for _, r := range rows {
				fmt.Fprintf(a.stdout, "%-17s %7d %6d %6d %6d %+6.2f\n", r.Period, r.Count, r.Pos, r.Neg, r.Neu, r.Net)
			}
			fmt.Fprintf(a.stdout, "%-17s %7d\n", "total", total)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&by, "by", "day", "period: day|hour")
	fl.StringVar(&entity, "entity", "", "only items mentioning this entity id")
	fl.StringVar(&platform, "platform", "", "only this platform")
	fl.StringVar(&from, "from", "", "first day (2006-01-02)")
	fl.StringVar(&to, "to", "", "last day, inclusive")
	return cmd
}

func round3(x float64) float64 {
	if x < 0 {
		return -round3(-x)
	}
	return float64(int64(x*1000+0.5)) / 1000
}
