package main

import "github.com/spf13/cobra"

// coreCommands are the foundation's commands; capability commands are
// listed in main.go's commands.
var coreCommands = []func(*app) *cobra.Command{
	newInitCmd,
	newIngestCmd,
	newRetagCmd,
	newSearchCmd,
	newStatsCmd,
	newQuarantineCmd,
	newServeCmd,
	newDemoCmd,
	newAnalyzeCmd,
	newUserCmd,
	newTokenCmd,
	newRunCmd,
}
