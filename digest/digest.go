package digest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"trustwatch"
	"trustwatch/notify"
	"trustwatch/report"
)

// MaxCatchUp bounds how many missed periods of one digest are sent at
// once: a daemon down for a month sends the last week of daily digests.
const MaxCatchUp = 7

// DefaultRetryAfter is how long a channel that failed waits before the
// digest is tried on it again.
const DefaultRetryAfter = 15 * time.Minute

// topFindings is how many findings a bot's summary lists.
const topFindings = 5

// Sender delivers messages to channels; *notify.Notifier is one.
type Sender interface {
	SendMessage(ctx context.Context, m notify.Message, channelIDs []string) []trustwatch.Delivery
}

// Digests sends the digests of a watch file.
type Digests struct {
	Store trustwatch.Store
	// Sent remembers what was sent; required.
	Sent trustwatch.DigestStore
	// Deliveries, when set, keeps every attempt (subject "digest:ID:PERIOD").
	Deliveries trustwatch.DeliveryStore
	Watch      *trustwatch.Watch
	Sender     Sender
	Location   *time.Location // where days begin; Asia/Shanghai when nil
	Log        *slog.Logger   // slog.Default() when nil
	RetryAfter time.Duration  // DefaultRetryAfter when zero

	mu       sync.Mutex
	failedAt map[string]time.Time // digest/channel → last failure
}

// Period is one period of a digest: the report covers [From, To); it is
// due at Due; Key names it in the store (its first day, 2025-06-09).
type Period struct {
	Key           string
	From, To, Due time.Time
}

// Latest is the newest period of d that is due at now.
func Latest(d trustwatch.Digest, now time.Time, loc *time.Location) (Period, error) {
	h, m, wd, err := d.Schedule()
	if err != nil {
		return Period{}, err
	}
	local := now.In(loc)
	y, mo, dd := local.Date()
	day := time.Date(y, mo, dd, 0, 0, 0, 0, loc)
	due := func(day time.Time) time.Time { return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, loc) }
	switch d.Every {
	case trustwatch.DigestDaily:
		if now.Before(due(day)) {
			day = day.AddDate(0, 0, -1)
		}
		return period(day.AddDate(0, 0, -1), day, due(day)), nil
	case trustwatch.DigestWeekly:
		for day.Weekday() != wd || now.Before(due(day)) {
			day = day.AddDate(0, 0, -1)
		}
		return period(day.AddDate(0, 0, -7), day, due(day)), nil
	}
	return Period{}, fmt.Errorf("digest %s: every %q is not daily or weekly", d.ID, d.Every)
}

func period(from, to, due time.Time) Period {
	return Period{Key: from.Format("2006-01-02"), From: from, To: to, Due: due}
}

// Prev is the period before p.
func (p Period) Prev() Period {
	n := int(p.To.Sub(p.From).Round(24*time.Hour) / (24 * time.Hour))
	return period(p.From.AddDate(0, 0, -n), p.From, p.Due.AddDate(0, 0, -n))
}

// Pending lists, oldest first, the periods due at now that come after
// last (a Key; "" when nothing was ever sent, which gives the latest
// period only), at most MaxCatchUp.
func Pending(d trustwatch.Digest, last string, now time.Time, loc *time.Location) ([]Period, error) {
	p, err := Latest(d, now, loc)
	if err != nil {
		return nil, err
	}
	if last == "" {
		return []Period{p}, nil
	}
	var out []Period
	// Keys are days written 2006-01-02: they sort as they read.
	for ; p.Key > last && len(out) < MaxCatchUp; p = p.Prev() {
		out = append([]Period{p}, out...)
	}
	return out, nil
}

// Tick sends every digest period that is due at now and has not reached
// its channels. It is cheap when nothing is due (one store read per digest
// and channel) and safe to call every round. Failures are returned
// joined; a failed channel is tried again after RetryAfter.
func (g *Digests) Tick(ctx context.Context, now time.Time) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.Watch == nil || len(g.Watch.Digests) == 0 {
		return nil
	}
	var errs []error
	for _, d := range g.Watch.Digests {
		if err := g.tick(ctx, d, now); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (g *Digests) tick(ctx context.Context, d trustwatch.Digest, now time.Time) error {
	var errs []error
	built := map[string]notify.Message{} // period key + channel kind → message
	for _, ch := range d.Channels {
		fk := d.ID + "/" + ch
		if t, ok := g.failedAt[fk]; ok && now.Sub(t) < cmp.Or(g.RetryAfter, DefaultRetryAfter) {
			continue
		}
		last, err := g.Sent.DigestSent(ctx, d.ID, ch)
		if err != nil {
			return fmt.Errorf("digest %s: %w", d.ID, err)
		}
		periods, err := Pending(d, last, now, g.loc())
		if err != nil {
			return err
		}
		for _, p := range periods {
			kind := "bot"
			if g.channelType(ch) == notify.TypeEmail {
				kind = "email"
			}
			m, ok := built[p.Key+kind]
			if !ok {
				if m, err = g.Message(ctx, d, p, kind == "email", now); err != nil {
					return err
				}
				built[p.Key+kind] = m
			}
			dl := g.Sender.SendMessage(ctx, m, []string{ch})[0]
			subject := "digest:" + d.ID + ":" + p.Key
			if g.Deliveries != nil {
				if err := g.Deliveries.PutDeliveries(ctx, dl.Records(subject, now)); err != nil {
					errs = append(errs, fmt.Errorf("digest %s: recording deliveries: %w", d.ID, err))
				}
			}
			if dl.Err != nil {
				if g.failedAt == nil {
					g.failedAt = map[string]time.Time{}
				}
				g.failedAt[fk] = now
				errs = append(errs, fmt.Errorf("digest %s %s: %w", d.ID, p.Key, dl.Err))
				break // the later periods wait for this one
			}
			delete(g.failedAt, fk)
			if err := g.Sent.MarkDigestSent(ctx, d.ID, ch, p.Key, now); err != nil {
				return fmt.Errorf("digest %s: %w", d.ID, err)
			}
			g.log().Info("digest: sent", "digest", d.ID, "period", p.Key, "channel", ch)
		}
	}
	return errors.Join(errs...)
}

func (g *Digests) channelType(id string) string {
	for _, c := range g.Watch.Channels {
		if c.ID == id {
			return c.Type
		}
	}
	return ""
}

func (g *Digests) loc() *time.Location { return cmp.Or(g.Location, trustwatch.DefaultLocation()) }

func (g *Digests) log() *slog.Logger {
	if g.Log != nil {
		return g.Log
	}
	return slog.Default()
}

// Title is the digest's subject: "trustwatch 日报 2025-06-11" or
// "trustwatch 周报 2025-06-09 至 2025-06-15".
func Title(d trustwatch.Digest, p Period) string {
	if d.Every == trustwatch.DigestWeekly {
		return "trustwatch 周报 " + p.From.Format("2006-01-02") + " 至 " + p.To.AddDate(0, 0, -1).Format("2006-01-02")
	}
	return "trustwatch 日报 " + p.From.Format("2006-01-02")
}

// Message builds what period p of d says: for e-mail the report itself
// (HTML, or Markdown as text, by the digest's format), for bots a summary.
func (g *Digests) Message(ctx context.Context, d trustwatch.Digest, p Period, email bool, now time.Time) (notify.Message, error) {
	base := strings.TrimSuffix(g.Watch.BaseURL, "/")
	r, err := report.Build(ctx, g.Store, g.Watch, report.Options{From: p.From, To: p.To, Location: g.loc(), BaseURL: base, Title: Title(d, p), Now: now})
	if err != nil {
		return notify.Message{}, fmt.Errorf("digest %s: %w", d.ID, err)
	}
	m := notify.Message{Kind: "trustwatch.digest", Title: Title(d, p), Text: Summary(r, base)}
	m.Markdown = m.Text
	if !email {
		return m, nil
	}
	var b strings.Builder
	if d.Format == "markdown" {
		if err := r.Markdown(&b); err != nil {
			return m, fmt.Errorf("digest %s: %w", d.ID, err)
		}
		m.Text = b.String()
		return m, nil
	}
	if err := r.HTML(&b); err != nil {
		return m, fmt.Errorf("digest %s: %w", d.ID, err)
	}
	m.HTML = b.String()
	return m, nil
}

// Summary is the short text of a digest: how many findings got worse, the
// first few of them (the report's order: bad news first), and the link to
// the report on the dashboard when base is set.
func Summary(r *report.Report, base string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n变差 %d 项，持平或好转 %d 项\n", r.Title, len(r.Worse), len(r.Held))
	for i, f := range r.Worse {
		if i == topFindings {
			fmt.Fprintf(&b, "…… 另有 %d 项\n", len(r.Worse)-topFindings)
			break
		}
		fmt.Fprintf(&b, "%d. %s\n", i+1, strings.Join(strings.Fields(f.Sentence), " "))
	}
	if base != "" {
		v := url.Values{}
		v.Set("from", r.From.Format("2006-01-02"))
		v.Set("to", r.To.AddDate(0, 0, -1).Format("2006-01-02"))
		b.WriteString("完整报告：" + base + "/report?" + v.Encode() + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}
