package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"trustwatch"
	"trustwatch/watchfile"
)

func newInitCmd(a *app) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "init [FILE]",
		Short: "Write a commented example watch file (default trustwatch.yaml)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := "trustwatch.yaml"
			if len(args) == 1 {
				path = args[0]
			}
			if _, err := os.Stat(path); err == nil && !force {
				return trustwatch.Errorf(trustwatch.ECONFLICT, "%s exists; use --force to overwrite", path)
			}
			if err := os.WriteFile(path, []byte(watchfile.Example), 0o644); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "wrote %s: edit the entities, then `trustwatch ingest --config %s PATH…`\n", path, path)
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	return cmd
}
