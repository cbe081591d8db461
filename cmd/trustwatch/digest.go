package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"trustwatch"
	"trustwatch/digest"
	"trustwatch/notify"
)

func newDigestCmd(a *app) *cobra.Command {
	var send bool
	var atFlag, id string
	cmd := &cobra.Command{
		Use:   "digest",
		Short: "Preview or send the watch file's digests for the latest period due",
		Long: `Shows, for each digest of the watch file (or the one named by --id), the
period that is due at --at (default now) and what the bots' summary says.
With --send it sends them to their channels now, whether or not they were
sent already, and records the period and the delivery attempts; the daemon
(trustwatch run) sends them by itself, once per period.`,
		Example: "  trustwatch digest --config trustwatch.yaml --db brand.db --at '2025-06-12 08:30' --send",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			loc, err := location(a)
			if err != nil {
				return err
			}
			now := time.Now()
			if atFlag != "" {
				if now, err = parseAt(atFlag, loc); err != nil {
					return usageError{err}
				}
			}
			w, db, err := openWatchStore(cmd.Context(), a)
			if err != nil {
				return err
			}
			defer db.Close()
			dst, err := need[digestStore](cmd, db, "digests")
			if err != nil {
				return err
			}
			var ds []trustwatch.Digest
			for _, d := range w.Digests {
				if id == "" || d.ID == id {
					ds = append(ds, d)
				}
			}
			if len(ds) == 0 {
				return trustwatch.Errorf(trustwatch.EINVALID, "the watch file has no digest%s", map[bool]string{true: " " + id, false: "s"}[id != ""])
			}
			logger := a.logger()
			n := &notify.Notifier{Channels: w.Channels, Getenv: os.Getenv, Log: logger, Location: loc}
			g := &digest.Digests{Store: db, Sent: dst, Deliveries: dst, Watch: w, Sender: n, Location: loc, Log: logger}
			type result struct {
				Digest     string                `json:"digest"`
				Period     string                `json:"period"`
				From       time.Time             `json:"from"`
				To         time.Time             `json:"to"`
				Title      string                `json:"title"`
				Summary    string                `json:"summary"`
				Deliveries []trustwatch.Delivery `json:"deliveries,omitempty"`
				Errors     []string              `json:"errors,omitempty"`
			}
			var out []result
			failed := 0
			for _, d := range ds {
				p, err := digest.Latest(d, now, loc)
				if err != nil {
					return err
				}
				r := result{Digest: d.ID, Period: p.Key, From: p.From, To: p.To, Title: digest.Title(d, p)}
				bot, err := g.Message(ctx, d, p, false, now)
				if err != nil {
					return err
				}
				r.Summary = bot.Text
				if send {
					for _, ch := range d.Channels {
						c := n.Channel(ch)
						m, err := g.Message(ctx, d, p, c != nil && c.Type == notify.TypeEmail, now)
						if err != nil {
							return err
						}
						dl := n.SendMessage(ctx, m, []string{ch})[0]
						if err := dst.PutDeliveries(ctx, dl.Records("digest:"+d.ID+":"+p.Key, time.Now())); err != nil {
							return err
						}
						r.Deliveries = append(r.Deliveries, dl)
						if dl.Err != nil {
							failed++
							r.Errors = append(r.Errors, dl.Err.Error())
							continue
						}
						if err := dst.MarkDigestSent(ctx, d.ID, ch, p.Key, now); err != nil {
							return err
						}
					}
				}
				out = append(out, r)
			}
			if a.jsonOut {
				if err := printJSON(a, out); err != nil {
					return err
				}
			} else {
				for _, r := range out {
					fmt.Fprintf(a.stdout, "== %s: %s (%s … %s)\n%s\n", r.Digest, r.Title, r.From.In(loc).Format("2006-01-02"), r.To.Add(-time.Second).In(loc).Format("2006-01-02"), r.Summary)
					for _, d := range r.Deliveries {
						fmt.Fprintf(a.stdout, "  %s\n", d)
					}
				}
			}
			if failed > 0 {
				return fmt.Errorf("digest: %d deliveries failed", failed)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.BoolVar(&send, "send", false, "send the digests to their channels (default: preview only)")
	f.StringVar(&atFlag, "at", "", "the time to compute the due period at, '2006-01-02 15:04' in --tz (default: now)")
	f.StringVar(&id, "id", "", "only this digest")
	return cmd
}

// parseAt reads --at: a time in loc, or RFC 3339.
func parseAt(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("invalid --at %q (want 2006-01-02 15:04)", s)
}

// digestStore is what sending digests keeps: the periods sent and the
// delivery attempts.
type digestStore interface {
	trustwatch.DigestStore
	trustwatch.DeliveryStore
}
