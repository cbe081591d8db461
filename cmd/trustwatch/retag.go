package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"trustwatch/ingest"
)

func newRetagCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "retag",
		Short: "Match the stored items against the watch file again (after you edit it)",
		Long: `Run the item analysis again over every stored item with the watch file's
names: cut the stored text into words again (so search and claim evidence
find new aliases), match the entities (a product or person counts for its
parent too), find the aspects and their sentiment, and recompute each item's
sentiment from the new words, all as ingest would. The volumes per entity
and per aspect are updated with the items, so they stay exact.

Items are read and written in batches, each in its own transaction: an
interrupted retag leaves a consistent store, and running it again finishes
the job. A retag with an unchanged watch file changes nothing.`,
		Example: "  trustwatch retag --db brand.db --config trustwatch.yaml",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if a.configPath == "" {
				return usageError{fmt.Errorf("retag needs the watch file: --config trustwatch.yaml")}
			}
			w, db, err := openWatchStore(cmd.Context(), a)
			if err != nil {
				return err
			}
			defer db.Close()
			rs, err := need[ingest.RetagStore](cmd, db, "retag")
			if err != nil {
				return err
			}
			an, _, err := newAnalyzer(w)
			if err != nil {
				return err
			}
			sum, err := (&ingest.Retagger{Store: rs, Analyzer: an}).Retag(cmd.Context())
			if err != nil {
				if sum.Read > 0 {
					fmt.Fprintf(a.stderr, "retag stopped after %d items (those are saved); run it again to finish\n", sum.Read)
				}
				return err
			}
			if a.jsonOut {
				if sum.Entities == nil {
					sum.Entities = []ingest.EntityCount{}
				}
				return printJSON(a, sum)
			}
			fmt.Fprintf(a.stdout, "read %d items: %d changed, %d with other entities than before\n",
				sum.Read, sum.Changed, sum.EntitiesChanged)
			if len(sum.Entities) > 0 {
				fmt.Fprintf(a.stdout, "%-20s %8s   %s\n", "entity", "before", "after")
				for _, e := range sum.Entities {
					fmt.Fprintf(a.stdout, "%-20s %8d → %d\n", e.Entity, e.Before, e.After)
				}
			}
			return nil
		},
	}
}
