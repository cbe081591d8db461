package trustwatch

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata"
)

// Watch is the watch file (trustwatch.yaml): what is watched and how.
type Watch struct {
	Timezone string      `yaml:"timezone,omitempty" json:"timezone,omitempty"`
	Entities []Entity    `yaml:"entities" json:"entities"`
	Aspects  []AspectDef `yaml:"aspects,omitempty" json:"aspects,omitempty"`
	Claims   []Claim     `yaml:"claims,omitempty" json:"claims,omitempty"`
	Values   []Value     `yaml:"values,omitempty" json:"values,omitempty"`
	Series   []SeriesDef `yaml:"series,omitempty" json:"series,omitempty"`
	Rules    []Rule      `yaml:"rules,omitempty" json:"rules,omitempty"`
	Channels []Channel   `yaml:"channels,omitempty" json:"channels,omitempty"`
	Sources  []Source    `yaml:"sources,omitempty" json:"sources,omitempty"`
	Digests  []Digest    `yaml:"digests,omitempty" json:"digests,omitempty"`
	// BaseURL is the dashboard's public address, for links in digests.
	BaseURL string `yaml:"base_url,omitempty" json:"base_url,omitempty"`
}

// Entity kinds.
const (
	EntityBrand   = "brand"
	EntityPerson  = "person"
	EntityProduct = "product"
	// EntityCompetitor is a brand watched for comparison (share of voice),
	// not as our own.
	EntityCompetitor = "competitor"
	// EntityTopic is a saved query: its items are the ones the query
	// matches, not the ones naming it.
	EntityTopic = "topic"
)

// Entity is a watched brand, person or product.
type Entity struct {
	ID      string   `yaml:"id" json:"id"`
	Kind    string   `yaml:"kind" json:"kind"`
	Name    string   `yaml:"name" json:"name"`
	Aliases []string `yaml:"aliases,omitempty" json:"aliases,omitempty"`
	// Parent is the brand a product or person belongs to.
	Parent string `yaml:"parent,omitempty" json:"parent,omitempty"`
	// Accounts are the author names under which the entity itself posts.
	Accounts []string `yaml:"accounts,omitempty" json:"accounts,omitempty"`
	// Query is a topic's query (docs/query.md); only topics have one.
	Query string `yaml:"query,omitempty" json:"query,omitempty"`
}

// Names returns the names under which text mentions the entity: its name
// followed by its aliases. A topic has none: its items are the ones its
// query matches, and its name is only a label, so nothing that finds
// entities in text (the matcher, claim scopes, new terms) sees it.
func (e *Entity) Names() []string {
	if e.Kind == EntityTopic {
		return nil
	}
	return append([]string{e.Name}, e.Aliases...)
}

// Entity returns the entity with the given id, or nil.
func (w *Watch) Entity(id string) *Entity {
	for i := range w.Entities {
		if w.Entities[i].ID == id {
			return &w.Entities[i]
		}
	}
	return nil
}

// AspectDef adds or overrides an aspect of the default lexicon.
type AspectDef struct {
	ID   string `yaml:"id" json:"id"`
	Name string `yaml:"name,omitempty" json:"name,omitempty"`
	// Words are added to the default words of the aspect, or replace them
	// when Replace is set.
	Words   []string `yaml:"words" json:"words"`
	Replace bool     `yaml:"replace,omitempty" json:"replace,omitempty"`
}

// Claim is a marketing claim: a charge on the trust ledger.
type Claim struct {
	ID           string   `yaml:"id" json:"id"`
	Entity       string   `yaml:"entity" json:"entity"`
	Text         string   `yaml:"text" json:"text"`
	Date         Date     `yaml:"date" json:"date"`
	Source       string   `yaml:"source,omitempty" json:"source,omitempty"`
	Kind         string   `yaml:"kind,omitempty" json:"kind,omitempty"` // performance|safety|quality|price|service|design|value
	Subject      []string `yaml:"subject,omitempty" json:"subject,omitempty"`
	DeliveryDate Date     `yaml:"delivery_date,omitempty" json:"delivery_date,omitempty"`
	HalfLife     Duration `yaml:"half_life,omitempty" json:"half_life,omitempty"`
}

// Value is a value the brand states about itself ("和用户做朋友").
type Value struct {
	ID     string   `yaml:"id" json:"id"`
	Entity string   `yaml:"entity" json:"entity"`
	Text   string   `yaml:"text" json:"text"`
	Date   Date     `yaml:"date" json:"date"`
	Words  []string `yaml:"words,omitempty" json:"words,omitempty"`
	// Contradicted lists the event kinds that contradict the value;
	// by default lawsuit and jurisdiction_objection.
	Contradicted []string `yaml:"contradicted_by,omitempty" json:"contradicted_by,omitempty"`
}

// SeriesDef declares a metric series.
type SeriesDef struct {
	ID     string `yaml:"id" json:"id"`
	Entity string `yaml:"entity,omitempty" json:"entity,omitempty"`
	Kind   string `yaml:"kind,omitempty" json:"kind,omitempty"` // price|market_cap|followers|orders|response_seconds|defects
	Unit   string `yaml:"unit,omitempty" json:"unit,omitempty"`
	Name   string `yaml:"name,omitempty" json:"name,omitempty"`
}

// SeriesByID returns the declaration of the series id, or a bare one (its
// id only) when the watch file does not declare it.
func (w *Watch) SeriesByID(id string) SeriesDef {
	for _, d := range w.Series {
		if d.ID == id {
			return d
		}
	}
	return SeriesDef{ID: id}
}

// Label is what a user reads for the series: its name, or its id when it
// has none. Statements name series by it; ids stay in links and keys.
func (d SeriesDef) Label() string {
	if d.Name != "" {
		return d.Name
	}
	return d.ID
}

// Rule turns a detector's findings into alerts.
type Rule struct {
	ID       string `yaml:"id" json:"id"`
	Series   string `yaml:"series,omitempty" json:"series,omitempty"`
	Entity   string `yaml:"entity,omitempty" json:"entity,omitempty"`
	Aspect   string `yaml:"aspect,omitempty" json:"aspect,omitempty"`
	Detector string `yaml:"detector" json:"detector"`
	Severity string `yaml:"severity,omitempty" json:"severity,omitempty"` // low|medium|high|critical

	Lookback Duration `yaml:"lookback,omitempty" json:"lookback,omitempty"`
	Window   Duration `yaml:"window,omitempty" json:"window,omitempty"`
	Period   Duration `yaml:"period,omitempty" json:"period,omitempty"`
	Cooldown Duration `yaml:"cooldown,omitempty" json:"cooldown,omitempty"`

	Below      *float64 `yaml:"below,omitempty" json:"below,omitempty"`
	Above      *float64 `yaml:"above,omitempty" json:"above,omitempty"`
	BelowPct   *float64 `yaml:"below_pct,omitempty" json:"below_pct,omitempty"`
	AbovePct   *float64 `yaml:"above_pct,omitempty" json:"above_pct,omitempty"`
	Target     float64  `yaml:"target,omitempty" json:"target,omitempty"`
	Percentile float64  `yaml:"percentile,omitempty" json:"percentile,omitempty"`
	Chart      string   `yaml:"chart,omitempty" json:"chart,omitempty"` // p|u|ewma|cusum
	MinCount   int      `yaml:"min_count,omitempty" json:"min_count,omitempty"`

	Notify []string `yaml:"notify,omitempty" json:"notify,omitempty"`
}

// Channel is where alerts are delivered.
type Channel struct {
	ID   string `yaml:"id" json:"id"`
	Type string `yaml:"type" json:"type"` // webhook|feishu|dingtalk|wecom|slack|email
	// URL or URLEnv (the name of an environment variable holding it).
	URL    string `yaml:"url,omitempty" json:"url,omitempty"`
	URLEnv string `yaml:"url_env,omitempty" json:"url_env,omitempty"`
	// SecretEnv names the environment variable holding the signing secret.
	SecretEnv   string `yaml:"secret_env,omitempty" json:"secret_env,omitempty"`
	MinSeverity string `yaml:"min_severity,omitempty" json:"min_severity,omitempty"`

	// An email channel: the SMTP server as host:port, the sender and the
	// recipients; the login, if any, comes from the variables UsernameEnv
	// and PasswordEnv name. STARTTLS is required unless Insecure is set,
	// which the watch file allows only for a loopback server.
	SMTP        string   `yaml:"smtp,omitempty" json:"smtp,omitempty"`
	From        string   `yaml:"from,omitempty" json:"from,omitempty"`
	To          []string `yaml:"to,omitempty" json:"to,omitempty"`
	UsernameEnv string   `yaml:"username_env,omitempty" json:"username_env,omitempty"`
	PasswordEnv string   `yaml:"password_env,omitempty" json:"password_env,omitempty"`
	Insecure    bool     `yaml:"insecure_no_tls,omitempty" json:"insecure_no_tls,omitempty"`
}

// Digest periods.
const (
	DigestDaily  = "daily"
	DigestWeekly = "weekly"
)

// Digest is a report sent on a schedule: every day (or every week on
// Weekday) at At, in the watch file's zone, covering the day or week
// before that day.
type Digest struct {
	ID       string   `yaml:"id" json:"id"`
	Every    string   `yaml:"every" json:"every"`                         // daily|weekly
	At       string   `yaml:"at,omitempty" json:"at,omitempty"`           // 15:04; 08:00 when empty
	Weekday  string   `yaml:"weekday,omitempty" json:"weekday,omitempty"` // mon..sun, for weekly; mon when empty
	Channels []string `yaml:"channels" json:"channels"`
	Format   string   `yaml:"format,omitempty" json:"format,omitempty"` // html|markdown; html when empty
}

// Source kinds.
const (
	SourceDir  = "dir"  // files or a directory of crawler output, read as they grow
	SourceFeed = "feed" // an RSS or Atom feed
	SourcePush = "push" // items POSTed to /api/v1/ingest
)

// Source is an input the watch file names: for `trustwatch ingest` (its
// path) and for `trustwatch run`, which reads every source every Interval
// and alerts when one falls silent for longer than Expect.
type Source struct {
	// ID names the source in logs, alerts and ?source=; a path-only source
	// of older watch files has none.
	ID string `yaml:"id,omitempty" json:"id,omitempty"`
	// Kind is dir (the default when Path is set), feed or push.
	Kind   string            `yaml:"kind,omitempty" json:"kind,omitempty"`
	Path   string            `yaml:"path,omitempty" json:"path,omitempty"`
	URL    string            `yaml:"url,omitempty" json:"url,omitempty"`
	Format string            `yaml:"format,omitempty" json:"format,omitempty"`
	Map    map[string]string `yaml:"map,omitempty" json:"map,omitempty"`
	// MaxFieldBytes bounds one field of a record (default 1 MiB): a longer
	// field refuses its record, and a record is bounded by a few of them.
	MaxFieldBytes int `yaml:"max_field_bytes,omitempty" json:"max_field_bytes,omitempty"`
	// Interval is how often run reads it; Expect how long it may stay
	// silent before that is an alert (learned from its history when zero).
	Interval Duration `yaml:"interval,omitempty" json:"interval,omitempty"`
	Expect   Duration `yaml:"expect,omitempty" json:"expect,omitempty"`
	// TokenEnv names the environment variable holding a push source's
	// bearer token.
	TokenEnv string `yaml:"token_env,omitempty" json:"token_env,omitempty"`
}

// SourceKind is the source's kind, dir when it has a path and says none.
func (s Source) SourceKind() string {
	if s.Kind == "" && s.Path != "" {
		return SourceDir
	}
	return s.Kind
}

// Date is a calendar day, written 2006-01-02 in the watch file. It is held
// as midnight in the watch file's time zone.
type Date struct{ time.Time }

// UnmarshalText parses 2006-01-02 (or RFC 3339).
func (d *Date) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "" {
		d.Time = time.Time{}
		return nil
	}
	for _, layout := range []string{"2006-01-02", time.RFC3339, "2006-01-02 15:04", "2006-01-02 15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, shanghai()); err == nil {
			d.Time = t
			return nil
		}
	}
	return fmt.Errorf("invalid date %q (want 2006-01-02)", s)
}

// MarshalText writes the date as 2006-01-02.
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte(""), nil
	}
	return []byte(d.Format("2006-01-02")), nil
}

// IsZero reports whether the date is unset (it shadows time.Time's for yaml omitempty).
func (d Date) IsZero() bool { return d.Time.IsZero() }

// Duration is a time span written like 30d, 12h, 90m or 2w.
type Duration time.Duration

// ParseDuration reads 30d, 2w, 12h, 90m, 45s, and Go's own forms.
func ParseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	unit := map[byte]time.Duration{'d': 24 * time.Hour, 'w': 7 * 24 * time.Hour}
	if u, ok := unit[s[len(s)-1]]; ok {
		n, err := strconv.ParseFloat(s[:len(s)-1], 64)
		if err != nil {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		return Duration(n * float64(u)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("invalid duration %q (want e.g. 30d, 12h)", s)
	}
	return Duration(d), nil
}

// UnmarshalText parses a duration written like 30d.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	*d = v
	return err
}

// MarshalText writes whole days as Nd, anything else in Go's form.
func (d Duration) MarshalText() ([]byte, error) {
	td := time.Duration(d)
	if td != 0 && td%(24*time.Hour) == 0 {
		return []byte(strconv.FormatInt(int64(td/(24*time.Hour)), 10) + "d"), nil
	}
	return []byte(td.String()), nil
}

// D returns the duration as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// shanghai is the default zone, loaded once; time/tzdata (imported by this
// package) makes it available on machines without a zone database.
var shanghai = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation(DefaultTimezone)
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
})

// DefaultLocation returns the Asia/Shanghai location.
func DefaultLocation() *time.Location { return shanghai() }

// DefaultTimezone is the zone naive times are read in unless told otherwise.
const DefaultTimezone = "Asia/Shanghai"

// Schedule reads the digest's At and Weekday: the hour and minute it is
// sent at (08:00 by default) and, for a weekly digest, the day (Monday by
// default).
func (d Digest) Schedule() (hour, minute int, day time.Weekday, err error) {
	hour, day = 8, time.Monday
	if d.At != "" {
		t, perr := time.Parse("15:04", d.At)
		if perr != nil {
			return 0, 0, 0, fmt.Errorf("at %q is not a time like 08:30", d.At)
		}
		hour, minute = t.Hour(), t.Minute()
	}
	if d.Weekday != "" {
		days := map[string]time.Weekday{"mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
			"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday, "sun": time.Sunday}
		w, ok := days[strings.ToLower(d.Weekday)]
		if !ok {
			return 0, 0, 0, fmt.Errorf("weekday %q is not mon, tue, wed, thu, fri, sat or sun", d.Weekday)
		}
		day = w
	}
	return hour, minute, day, nil
}
