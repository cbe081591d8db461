package alerteval_test

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"text/tabwriter"
	"time"

	"gopkg.in/yaml.v3"

	"trustwatch"
	"trustwatch/alert"
	"trustwatch/alerteval"
	"trustwatch/analyze"
	"trustwatch/aspect"
	"trustwatch/ingest"
	"trustwatch/reader"
	"trustwatch/realdata"
	"trustwatch/segment"
	"trustwatch/sentiment"
	"trustwatch/sqlite"
	"trustwatch/watchfile"
)

// StrictEnv turns the validity goals into failures; without it the real
// cases only report, because the detectors are being recalibrated.
const StrictEnv = "TRUSTWATCH_VALIDITY_STRICT"

// OutEnv names a directory to write each case's report to, as NAME.json
// (what `trustwatch eval alerts --json` prints), for a closer look.
const OutEnv = "TRUSTWATCH_VALIDITY_OUT"

// The goals docs/validity.md states, checked under StrictEnv.
const (
	goalRecall    = 0.9
	goalPrecision = 0.8
)

// span is a closed range of days.
type span struct {
	From string `yaml:"from"`
	To   string `yaml:"to"`
}

// caseFile is testdata/cases/NAME/case.yaml: how the input is built from
// the real data (never the data itself).
type caseFile struct {
	Title     string            `yaml:"title"`
	Source    string            `yaml:"source"` // relative to ../shared/data
	Format    string            `yaml:"format"`
	Map       map[string]string `yaml:"map"`
	Platform  string            `yaml:"platform"`
	Input     span              `yaml:"input"` // hot-search rows whose date is in it; empty: the whole file
	Eval      span              `yaml:"eval"`  // days counted; empty: all
	Tolerance string            `yaml:"tolerance"`
	Kinds     []string          `yaml:"kinds"`
	Inject    *injection        `yaml:"inject"`
}

type injection struct {
	Day   string `yaml:"day"`
	Count int    `yaml:"count"`
	Seed  uint64 `yaml:"seed"`
	What  string `yaml:"what"` // brakes: the only generator so far
}

type realCase struct {
	name   string
	dir    string
	c      caseFile
	watch  *trustwatch.Watch
	events []alerteval.Event
}

func loadCases(t *testing.T) []realCase {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join("testdata", "cases", "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no cases under testdata/cases: %v", err)
	}
	var out []realCase
	for _, dir := range dirs {
		rc := realCase{name: filepath.Base(dir), dir: dir}
		b, err := os.ReadFile(filepath.Join(dir, "case.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(strings.NewReader(string(b)))
		dec.KnownFields(true)
		if err := dec.Decode(&rc.c); err != nil {
			t.Fatalf("%s/case.yaml: %v", rc.name, err)
		}
		if rc.watch, err = watchfile.Load(filepath.Join(dir, "watch.yaml")); err != nil {
			t.Fatalf("%s: %v", rc.name, err)
		}
		if rc.events, err = alerteval.Load(filepath.Join(dir, "expected.yaml")); err != nil {
			t.Fatalf("%s: %v", rc.name, err)
		}
		if err := alerteval.Check(rc.events, rc.watch); err != nil {
			t.Fatalf("%s: %v", rc.name, err)
		}
		out = append(out, rc)
	}
	return out
}

// TestCaseFiles checks what can be checked without the data: every case
// parses, names a source, and dates its events inside its eval span.
func TestCaseFiles(t *testing.T) {
	cases := loadCases(t)
	var crises, quiet int
	for _, rc := range cases {
		c := rc.c
		if c.Title == "" || c.Source == "" || c.Format == "" || len(c.Map) == 0 {
			t.Errorf("%s: title, source, format and map are required", rc.name)
		}
		if _, err := trustwatch.ParseDuration(c.Tolerance); err != nil {
			t.Errorf("%s: %v", rc.name, err)
		}
		if _, err := alerteval.Evaluate(nil, rc.events, rc.watch, options(c)); err != nil {
			t.Errorf("%s: %v", rc.name, err)
		}
		for _, e := range rc.events {
			if (c.Eval.From != "" && e.Day < c.Eval.From) || (c.Eval.To != "" && e.Day > c.Eval.To) {
				t.Errorf("%s: event of %s is outside the eval span %s … %s", rc.name, e.Day, c.Eval.From, c.Eval.To)
			}
			if e.Note == "" {
				t.Errorf("%s: the event of %s says not how it was found (note)", rc.name, e.Day)
			}
		}
		if c.Input.From != "" && c.Eval.From != "" && c.Input.From >= c.Eval.From {
			t.Errorf("%s: the input starts no earlier than the eval span: no warm-up", rc.name)
		}
		if c.Inject != nil && (c.Inject.What != "brakes" || c.Inject.Count <= 0) {
			t.Errorf("%s: unknown injection %+v", rc.name, *c.Inject)
		}
		switch {
		case len(rc.events) == 0:
			quiet++
		case strings.HasPrefix(c.Source, "weibo_hot_search/"):
			crises++
		}
	}
	if crises < 3 || quiet < 1 {
		t.Errorf("%d hot-search crisis cases and %d quiet ones; want ≥3 and ≥1", crises, quiet)
	}
}

func options(c caseFile) alerteval.Options {
	tol, _ := trustwatch.ParseDuration(c.Tolerance)
	return alerteval.Options{Tolerance: tol.D(), Kinds: c.Kinds, From: c.Eval.From, To: c.Eval.To,
		Location: trustwatch.DefaultLocation()}
}

// outcome is one case's run.
type outcome struct {
	name   string
	items  int
	days   int
	report *alerteval.Report
	// What the variants of the summary re-evaluate.
	alerts []trustwatch.Alert
	rc     realCase
}

// TestRealCases builds every case end to end from ../shared/data (input
// derived into a temp dir, ingest, analyze, eval) and logs the table of
// docs/validity.md:
//
//	go test -run TestRealCases -v ./alerteval/
//
// It reports; under TRUSTWATCH_VALIDITY_STRICT=1 it also fails unless the
// goals are met (recall ≥ 0.9 and precision ≥ 0.8 over the cases with
// events, no alert in a case without).
func TestRealCases(t *testing.T) {
	if testing.Short() {
		t.Skip("real cases take a minute or two")
	}
	cases := loadCases(t)
	for _, rc := range cases {
		realdata.Path(t, rc.c.Source) // skips when the data is absent
	}
	var outs []outcome
	for _, rc := range cases {
		start := time.Now()
		o := runCase(t, rc)
		outs = append(outs, o)
		if dir := os.Getenv(OutEnv); dir != "" {
			b, err := json.MarshalIndent(o.report, "", "  ")
			if err == nil {
				err = os.WriteFile(filepath.Join(dir, rc.name+".json"), b, 0o644)
			}
			if err != nil {
				t.Errorf("%s: %v", OutEnv, err)
			}
		}
		var b strings.Builder
		o.report.WriteText(&b, 15)
		t.Logf("%s (%s): %d items, %d days replayed, %.1fs\n%s", rc.name, rc.c.Title, o.items, o.days, time.Since(start).Seconds(), b.String())
	}
	t.Logf("summary\n%s", table(outs))
	t.Logf("variants\n%s", variants(t, outs))

	strict := os.Getenv(StrictEnv) == "1"
	check := func(ok bool, format string, args ...any) {
		switch {
		case ok:
		case strict:
			t.Errorf(format, args...)
		default:
			t.Logf("goal not met (fails under %s=1): "+format, append([]any{StrictEnv}, args...)...)
		}
	}
	tot := total(outs)
	for _, o := range outs {
		if o.report.Events == 0 {
			check(o.report.Alerts == 0, "%s: no alert is expected, %d were raised", o.name, o.report.Alerts)
		}
	}
	check(tot.recall >= goalRecall, "recall %.2f < %.2f", tot.recall, goalRecall)
	check(tot.precision >= goalPrecision, "precision %.2f < %.2f", tot.precision, goalPrecision)

	// Floors the detectors reach today (docs/validity.md), so that a
	// regression fails without the strict goals: the quiet month stays
	// silent, and recall and precision do not fall back.
	for _, o := range outs {
		if o.name == "byd-quiet-2023-06" && o.report.Alerts != 0 {
			t.Errorf("%s: %d alerts in a quiet month, want none", o.name, o.report.Alerts)
		}
	}
	if tot.recall < floorRecall || tot.precision < floorPrecision {
		t.Errorf("recall %.2f, precision %.2f: below the floors %.2f, %.2f", tot.recall, tot.precision, floorRecall, floorPrecision)
	}
}

// Floors below the measured recall (0.83) and precision (0.77).
const (
	floorRecall    = 0.8
	floorPrecision = 0.7
)

// runCase derives the input, ingests it into a fresh store, runs every
// detector and evaluates the alerts. The wiring is cmd/trustwatch's
// (newAnalyzer, newRunner), which a test cannot import.
func runCase(t *testing.T, rc realCase) outcome {
	t.Helper()
	ctx := context.Background()
	loc := trustwatch.DefaultLocation()
	dir := t.TempDir()
	input := deriveInput(t, rc, dir)

	db := sqlite.NewDB(filepath.Join(dir, "case.db"))
	db.Location = loc
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	w := rc.watch
	seg, err := segment.ForWatch(w)
	if err != nil {
		t.Fatal(err)
	}
	lex, err := aspect.Default().With(w.Aspects)
	if err != nil {
		t.Fatal(err)
	}
	model := sentiment.Default()
	an := &ingest.Analyzer{
		Matcher:   segment.NewMatcher(seg, w),
		Sentiment: model.ClassifyTokens,
		Aspects:   func(text string) []trustwatch.AspectHit { return lex.Find(text, model) },
	}
	in := &ingest.Ingester{Store: db, Analyzer: an,
		Options: reader.Options{Format: rc.c.Format, Location: loc, Map: rc.c.Map, Platform: rc.c.Platform}}
	sum, err := in.Ingest(ctx, []string{input}, nil)
	if err != nil {
		t.Fatalf("%s: ingest: %v", rc.name, err)
	}
	if sum.Stored == 0 {
		t.Fatalf("%s: nothing stored from %s", rc.name, input)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	r := &analyze.Runner{Store: db, Watch: w, Location: loc, Known: seg.Known,
		Engine: &alert.Engine{Store: db, Rules: w.Rules, Log: quiet}}
	ar, err := r.Run(ctx)
	if err != nil {
		t.Fatalf("%s: analyze: %v", rc.name, err)
	}
	alerts, _, err := db.FindAlerts(ctx, trustwatch.AlertFilter{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := alerteval.Evaluate(alerts, rc.events, w, options(rc.c))
	if err != nil {
		t.Fatalf("%s: %v", rc.name, err)
	}
	return outcome{name: rc.name, items: sum.Stored, days: ar.Days, report: rep, alerts: alerts, rc: rc}
}

// deriveInput writes the case's input into dir and returns its path: the
// hot-search rows of the input span (every title, in file order), or the
// comments file with the injected comments appended.
func deriveInput(t *testing.T, rc realCase, dir string) string {
	t.Helper()
	src := realdata.Path(t, rc.c.Source)
	out := filepath.Join(dir, "input"+strings.TrimSuffix(filepath.Ext(strings.TrimSuffix(src, ".gz")), ".gz"))
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var r io.Reader = in
	if strings.HasSuffix(src, ".gz") {
		gz, err := gzip.NewReader(in)
		if err != nil {
			t.Fatal(err)
		}
		r = gz
	}
	if rc.c.Input.From == "" && rc.c.Input.To == "" {
		if _, err := io.Copy(bw, r); err != nil {
			t.Fatal(err)
		}
	} else {
		// The hot-search file is TAB-separated with the day first, so a
		// prefix comparison selects the span without parsing the rows.
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for first := true; sc.Scan(); first = false {
			line := sc.Text()
			day, _, _ := strings.Cut(line, "\t")
			if first || (day >= rc.c.Input.From && day <= rc.c.Input.To) {
				bw.WriteString(line)
				bw.WriteByte('\n')
			}
		}
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	if inj := rc.c.Inject; inj != nil {
		if err := injectBrakes(bw, *inj); err != nil {
			t.Fatal(err)
		}
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	return out
}

// injectBrakes appends inj.Count synthetic negative comments about the
// brakes on inj.Day, as rows of the comments CSV (author_hash, content,
// likecount, date like 2024/5/10 14:05), drawn from a seeded generator so
// every run writes the same rows.
func injectBrakes(w *bufio.Writer, inj injection) error {
	day, err := time.Parse("2006-01-02", inj.Day)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(inj.Seed, 0x5137))
	who := []string{"SU7", "小米SU7", "su7", "这车", "提的新车", "我的SU7", "小米汽车"}
	what := []string{"刹车太软了", "刹车失灵差点追尾", "刹车距离比宣传的长一大截", "高速上刹车发软", "刹车异响", "下坡刹不住",
		"制动踩下去半天没反应", "刹车片两个月就磨没了", "刹车点头严重", "ABS乱介入"}
	tail := []string{"太吓人了", "退钱！", "雷总给个说法", "再也不信了", "安全都保证不了还卖什么车", "4S店说正常，正常个鬼",
		"已经投诉了", "谁还敢开", "维权群里好几百人一样的问题", "这就是所谓的地表最强刹车？"}
	cw := csv.NewWriter(w)
	w.WriteString("\n") // the file may end without a newline
	for i := range inj.Count {
		minute := 8*60 + rng.IntN(16*60)
		text := who[rng.IntN(len(who))] + what[rng.IntN(len(what))] + "，" + tail[rng.IntN(len(tail))]
		err := cw.Write([]string{
			fmt.Sprintf("inj%04d%08x", i, rng.Uint32()),
			text,
			fmt.Sprint(rng.IntN(40)),
			fmt.Sprintf("%d/%d/%d %d:%02d", day.Year(), int(day.Month()), day.Day(), minute/60, minute%60),
		})
		if err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// totals are micro-averages over the cases with events.
type totals struct {
	events, alerts, matched, redundant, falseAlarms, quietAlarms int
	precision, recall                                            float64
}

func total(outs []outcome) totals {
	var s totals
	for _, o := range outs {
		r := o.report
		if r.Events == 0 {
			s.quietAlarms += r.Alerts
			continue
		}
		s.events += r.Events
		s.alerts += r.Alerts
		s.matched += r.Matched
		s.redundant += r.Redundant
		s.falseAlarms += r.FalseAlarms
	}
	if s.alerts > 0 {
		s.precision = float64(s.matched) / float64(s.alerts)
	}
	if s.events > 0 {
		s.recall = float64(s.matched) / float64(s.events)
	}
	return s
}

// table is the summary as a Markdown table, as docs/validity.md shows it.
func table(outs []outcome) string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 1, ' ', tabwriter.Debug)
	fmt.Fprintln(tw, "| case\t items\t events\t alerts\t matched\t redundant\t false alarms\t precision\t recall\t day error mean/max (signed)\t missed\t")
	fmt.Fprintln(tw, "|---\t---\t---\t---\t---\t---\t---\t---\t---\t---\t---\t")
	for _, o := range outs {
		r := o.report
		var missed []string
		for _, e := range r.Missed {
			missed = append(missed, e.Entity+" "+e.Day)
		}
		fmt.Fprintf(tw, "| %s\t %d\t %d\t %d\t %d\t %d\t %d\t %s\t %s\t %s\t %s\t\n", o.name, o.items, r.Events, r.Alerts,
			r.Matched, r.Redundant, r.FalseAlarms, r.PrecisionText(), alerteval.Pct(r.Recall), r.DayErrorText(), strings.Join(missed, ", "))
	}
	s := total(outs)
	fmt.Fprintf(tw, "| **cases with events**\t\t %d\t %d\t %d\t %d\t %d\t %.2f\t %.2f\t\t\t\n", s.events, s.alerts, s.matched, s.redundant, s.falseAlarms, s.precision, s.recall)
	fmt.Fprintf(tw, "| **cases without events**\t\t 0\t %d\t\t\t %d\t n/a\t n/a\t\t\t\n", s.quietAlarms, s.quietAlarms)
	tw.Flush()
	// tabwriter.Debug draws | between cells; the first column's | is ours.
	return strings.ReplaceAll(b.String(), "|| ", "| ")
}

// variants re-evaluates the same alerts with a wider tolerance and with
// the emerging terms out of scope, to show where the errors come from.
func variants(t *testing.T, outs []outcome) string {
	t.Helper()
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 1, ' ', tabwriter.Debug)
	fmt.Fprintln(tw, "| variant\t events\t alerts\t matched\t redundant\t false alarms\t precision\t recall\t alarms in cases without events\t")
	fmt.Fprintln(tw, "|---\t---\t---\t---\t---\t---\t---\t---\t---\t")
	for _, v := range []struct {
		name  string
		tol   time.Duration
		kinds []string
	}{
		{"as the cases say (±1d, volume.spike, sentiment.spike, term.*)", 0, nil},
		{"±3d", 3 * 24 * time.Hour, nil},
		{"spikes only (--kinds volume.spike,sentiment.spike), ±1d", 0, []string{"volume.spike", "sentiment.spike"}},
		{"spikes only, ±3d", 3 * 24 * time.Hour, []string{"volume.spike", "sentiment.spike"}},
	} {
		var vs []outcome
		for _, o := range outs {
			opt := options(o.rc.c)
			if v.tol != 0 {
				opt.Tolerance = v.tol
			}
			if v.kinds != nil {
				opt.Kinds = v.kinds
			}
			r, err := alerteval.Evaluate(o.alerts, o.rc.events, o.rc.watch, opt)
			if err != nil {
				t.Fatal(err)
			}
			vs = append(vs, outcome{name: o.name, report: r})
		}
		s := total(vs)
		fmt.Fprintf(tw, "| %s\t %d\t %d\t %d\t %d\t %d\t %.2f\t %.2f\t %d\t\n", v.name, s.events, s.alerts, s.matched, s.redundant, s.falseAlarms, s.precision, s.recall, s.quietAlarms)
	}
	tw.Flush()
	return strings.ReplaceAll(b.String(), "|| ", "| ")
}
