package main

import (
	"cmp"
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"trustwatch"
)

func newTokenCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Manage API and push tokens: add, list, revoke",
		Long: `A push token lets a crawler POST items to /api/v1/ingest?source=ID for
one push source of the watch file. An API token with a role reads the API
(viewer) or also acts on alerts (analyst, admin). Send either as
Authorization: Bearer TOKEN. The store keeps only a hash of a token: it is
printed once, when it is made.`,
	}
	var source, name, role string
	add := &cobra.Command{
		Use:   "add (--source ID | --role viewer|analyst|admin) [--name NAME]",
		Short: "Make a token and print it, once, on standard output",
		Example: `  trustwatch token add --source weibo --config trustwatch.yaml
  TOKEN=$(trustwatch token add --name grafana --role viewer)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if a.jsonOut {
				// JSON output ends up in logs and CI records; a secret must not.
				return usageError{fmt.Errorf("token add prints the token as plain text, once; it has no --json")}
			}
			if (source == "") == (role == "") {
				return usageError{fmt.Errorf("give --source ID (a push token) or --role (an API token)")}
			}
			if source != "" && a.configPath != "" {
				w, err := loadWatch(a)
				if err != nil {
					return err
				}
				if !hasPushSource(w, source) {
					return trustwatch.Errorf(trustwatch.EINVALID, "%s has no push source %q", a.configPath, source)
				}
			}
			db, err := openStore(cmd.Context(), a)
			if err != nil {
				return err
			}
			defer db.Close()
			tokens, err := need[trustwatch.TokenStore](cmd, db, "API tokens")
			if err != nil {
				return err
			}
			secret, t, err := newAuthService(nil, tokens, &trustwatch.Watch{}).AddToken(cmd.Context(), cmp.Or(name, source), trustwatch.Role(role), source)
			if err != nil {
				return err
			}
			what := "API token, role " + string(t.Role)
			if t.Source != "" {
				what = "push token for source " + t.Source
			}
			fmt.Fprintf(a.stderr, "token %d (%s, %s); shown once, store it now:\n", t.ID, t.Name, what)
			fmt.Fprintln(a.stdout, secret)
			return nil
		},
	}
	add.Flags().StringVar(&source, "source", "", "the push source the token may write to")
	add.Flags().StringVar(&role, "role", "", "an API token's role: viewer, analyst or admin")
	add.Flags().StringVar(&name, "name", "", "a name for the token (default: the source)")
	list := &cobra.Command{
		Use:   "list",
		Short: "List tokens (never their secrets)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := openStore(cmd.Context(), a)
			if err != nil {
				return err
			}
			defer db.Close()
			tokens, err := need[trustwatch.TokenStore](cmd, db, "API tokens")
			if err != nil {
				return err
			}
			ts, err := tokens.FindTokens(cmd.Context())
			if err != nil {
				return err
			}
			if a.jsonOut {
				return printJSON(a, ts)
			}
			for _, t := range ts {
				what := "role " + string(t.Role)
				if t.Source != "" {
					what = "source " + t.Source
				}
				state := "active"
				if t.Revoked != nil {
					state = "revoked " + t.Revoked.Format("2006-01-02")
				}
				used := "never used"
				if t.LastUsed != nil {
					used = "used " + t.LastUsed.Format(time.RFC3339)
				}
				fmt.Fprintf(a.stdout, "%d\t%s\t%s\t%s\t%s\n", t.ID, t.Name, what, used, state)
			}
			return nil
		},
	}
	revoke := &cobra.Command{
		Use:   "revoke ID",
		Short: "Revoke a token",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return usageError{fmt.Errorf("token id %q is not a number (see token list)", args[0])}
			}
			db, err := openStore(cmd.Context(), a)
			if err != nil {
				return err
			}
			defer db.Close()
			tokens, err := need[trustwatch.TokenStore](cmd, db, "API tokens")
			if err != nil {
				return err
			}
			if err := tokens.RevokeToken(cmd.Context(), id, time.Now()); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "token %d revoked\n", id)
			return nil
		},
	}
	cmd.AddCommand(add, list, revoke)
	return cmd
}

// hasPushSource reports whether the watch file has a push source with
// that id.
func hasPushSource(w *trustwatch.Watch, id string) bool {
	for _, src := range w.Sources {
		if src.ID == id && src.SourceKind() == trustwatch.SourcePush {
			return true
		}
	}
	return false
}
