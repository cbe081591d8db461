package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"trustwatch"
	"trustwatch/auth"
)

func newUserCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Manage the dashboard's users: add, list, remove",
		Long: `Users sign in to the dashboard. A viewer reads; an analyst also
acknowledges, resolves, comments on, assigns and snoozes alerts; an admin
also manages users and tokens.`,
	}
	var role string
	add := &cobra.Command{
		Use:   "add NAME --role viewer|analyst|admin",
		Short: "Add a user; the password is read from standard input",
		Example: `  trustwatch user add wang --role analyst            # asks for the password, twice, without echo
  printf '%s\n' "$PASSWORD" | trustwatch user add ci --role viewer`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r := trustwatch.Role(role)
			if !r.Valid() {
				return usageError{fmt.Errorf("--role must be viewer, analyst or admin, not %q", role)}
			}
			password, err := readPassword(a)
			if err != nil {
				return err
			}
			db, err := openStore(cmd.Context(), a)
			if err != nil {
				return err
			}
			defer db.Close()
			users, err := need[trustwatch.UserStore](cmd, db, "users")
			if err != nil {
				return err
			}
			u, err := newAuthService(users, nil, &trustwatch.Watch{}).AddUser(cmd.Context(), args[0], r, password)
			if err != nil {
				return err
			}
			if a.jsonOut {
				return printJSON(a, u)
			}
			fmt.Fprintf(a.stdout, "user %s added (%s)\n", u.Name, u.Role)
			return nil
		},
	}
	add.Flags().StringVar(&role, "role", "", "viewer, analyst or admin")
	add.MarkFlagRequired("role")
	list := &cobra.Command{
		Use:   "list",
		Short: "List users",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := openStore(cmd.Context(), a)
			if err != nil {
				return err
			}
			defer db.Close()
			users, err := need[trustwatch.UserStore](cmd, db, "users")
			if err != nil {
				return err
			}
			us, err := users.FindUsers(cmd.Context())
			if err != nil {
				return err
			}
			if a.jsonOut {
				return printJSON(a, us)
			}
			for _, u := range us {
				fmt.Fprintf(a.stdout, "%-20s %-8s %s\n", u.Name, u.Role, u.Created.Format("2006-01-02 15:04"))
			}
			if len(us) == 0 {
				fmt.Fprintln(a.stdout, "no users: trustwatch user add NAME --role admin")
			}
			return nil
		},
	}
	remove := &cobra.Command{
		Use:   "remove NAME",
		Short: "Remove a user and sign out its sessions",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := openStore(cmd.Context(), a)
			if err != nil {
				return err
			}
			defer db.Close()
			users, err := need[trustwatch.UserStore](cmd, db, "users")
			if err != nil {
				return err
			}
			if err := users.DeleteUser(cmd.Context(), args[0]); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "user %s removed\n", args[0])
			return nil
		},
	}
	cmd.AddCommand(add, list, remove)
	return cmd
}

// readPassword reads a new password: from a terminal without echo, asked
// twice; otherwise the first line of standard input.
func readPassword(a *app) (string, error) {
	if f, ok := a.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(a.stderr, "password: ")
		p1, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(a.stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(a.stderr, "again: ")
		p2, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(a.stderr)
		if err != nil {
			return "", err
		}
		if !auth.Equal(string(p1), string(p2)) {
			return "", trustwatch.Errorf(trustwatch.EINVALID, "The passwords differ.")
		}
		return string(p1), nil
	}
	line, err := bufio.NewReader(a.stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", trustwatch.Errorf(trustwatch.EINVALID, "No password on standard input.")
	}
	return line, nil
}
