package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"trustwatch"
)

func newQuarantineCmd(a *app) *cobra.Command {
	var f trustwatch.QuarantineFilter
	cmd := &cobra.Command{
		Use:   "quarantine",
		Short: "List input lines that could not be read, with file, line and reason",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := openStore(cmd.Context(), a)
			if err != nil {
				return err
			}
			defer db.Close()
			qs, total, err := db.FindQuarantine(cmd.Context(), f)
			if err != nil {
				return err
			}
			if a.jsonOut {
				if qs == nil {
					qs = []trustwatch.Quarantined{}
				}
				return printJSON(a, qs)
			}
			fmt.Fprintf(a.stdout, "%d quarantined (showing %d)\n", total, len(qs))
			for _, q := range qs {
				fmt.Fprintf(a.stdout, "%s:%d: %s: %s\n", q.File, q.Line, q.Reason, oneLine(string(q.Raw), 60))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&f.File, "file", "", "only records from this file")
	cmd.Flags().IntVar(&f.Limit, "limit", 50, "at most this many records (0 for all)")
	return cmd
}
