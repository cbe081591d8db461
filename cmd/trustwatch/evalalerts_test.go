package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/alerteval"
	"trustwatch/sqlite"
)

// TestEvalAlertsCmd measures alertsFixture's two alerts (metric.change on
// leijun opened 2025-05-31 16:00 in Shanghai, metric.low on xiaomi
// 2025-06-12 16:00) against expected-event files: the first matches the
// event of 05-31 on the day, the second the event of 06-13 a day early.
func TestEvalAlertsCmd(t *testing.T) {
	db := alertsFixture(t)
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	watch := write("watch.yaml", "timezone: Asia/Shanghai\nentities:\n  - {id: xiaomi, kind: brand, name: 小米}\n  - {id: leijun, kind: person, name: 雷军, parent: xiaomi}\n")
	both := write("both.yaml", "- {kind: metric.*, entity: xiaomi, day: 2025-05-31, note: 雷军 is a child of 小米}\n- {kind: metric.low, entity: xiaomi, day: 2025-06-13}\n")
	quiet := write("quiet.jsonl", "")
	typo := write("typo.yaml", "- {kind: metric.low, entity: xiaomy, day: 2025-06-13}\n")

	type report struct {
		Events, Alerts, Matched int
		FalseAlarms             int `json:"false_alarms"`
		OutOfScope              int `json:"out_of_scope"`
		Precision, Recall       *float64
	}
	for _, c := range []struct {
		name string
		args []string
		code int
		// for --json runs
		events, alerts, matched, falseAlarms, out int
		precision, recall                         string
		text                                      []string
	}{
		{name: "both matched, one a day late", args: []string{"--expected", both, "--json"},
			events: 2, alerts: 2, matched: 2, precision: "1.00", recall: "1.00"},
		{name: "same day only", args: []string{"--expected", both, "--tolerance", "0d", "--json"},
			events: 2, alerts: 2, matched: 1, falseAlarms: 1, precision: "0.50", recall: "0.50"},
		// --tz overrides the watch file's zone: in Honolulu (UTC−10) both
		// alerts open the evening before, and neither is on its day.
		{name: "another zone", args: []string{"--expected", both, "--tolerance", "0d", "--tz", "Pacific/Honolulu", "--json"},
			events: 2, alerts: 2, matched: 0, falseAlarms: 2, precision: "0.00", recall: "0.00"},
		{name: "kinds narrow the scope", args: []string{"--expected", both, "--kinds", "metric.low", "--json"},
			events: 2, alerts: 1, matched: 1, out: 1, precision: "1.00", recall: "0.50"},
		{name: "quiet text", args: []string{"--expected", quiet},
			text: []string{"expected events  0", "precision        n/a (2 false alarms)", "recall           n/a", "false alarm"}},
		{name: "text", args: []string{"--expected", both},
			text: []string{"scope: metric.*, metric.low; tolerance ±1d", "precision        1.00", "day error        mean 0.50, max 1, signed mean -0.50", "matched:"}},
		{name: "unknown entity", args: []string{"--expected", typo}, code: exitFail},
		{name: "bad tolerance", args: []string{"--expected", both, "--tolerance", "soon"}, code: exitUsage},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"eval", "alerts", "--db", db, "--config", watch}, c.args...)
			out, errs, code := runTW(t, args...)
			if code != c.code {
				t.Fatalf("code %d, want %d: %s %s", code, c.code, out, errs)
			}
			if code != 0 {
				return
			}
			if c.text != nil {
				for _, w := range c.text {
					if !strings.Contains(out, w) {
						t.Errorf("output lacks %q:\n%s", w, out)
					}
				}
				return
			}
			var r report
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			if r.Events != c.events || r.Alerts != c.alerts || r.Matched != c.matched || r.FalseAlarms != c.falseAlarms || r.OutOfScope != c.out ||
				alerteval.Pct(r.Precision) != c.precision || alerteval.Pct(r.Recall) != c.recall {
				t.Errorf("got %+v (precision %s, recall %s)\n%s", r, alerteval.Pct(r.Precision), alerteval.Pct(r.Recall), out)
			}
		})
	}
}

// TestEvalAlertsByVerdicts: without --expected, precision per kind comes
// from the store's verdicts: al-old (metric.change) resolved, so right;
// al-new (metric.low) marked a false alarm, so wrong.
func TestEvalAlertsByVerdicts(t *testing.T) {
	db := alertsFixture(t)
	ctx := context.Background()
	st, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 6, 14, 9, 0, 0, 0, trustwatch.DefaultLocation())
	if _, err := st.UpdateAlert(ctx, "al-old", trustwatch.AlertUpdate{Resolve: true, At: at, By: "ana"}); err != nil {
		t.Fatal(err)
	}
	if err := st.PutVerdict(ctx, trustwatch.Verdict{Alert: "al-new", By: "ana", At: at, Note: "停牌复牌"}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	out, errs, code := runTW(t, "eval", "alerts", "--db", db)
	if code != 0 {
		t.Fatalf("code %d: %s %s", code, out, errs)
	}
	for _, want := range []string{
		"1 verdicts",
		"metric.change                  1       1       0       0      1.00",
		"metric.low                     1       1       1       0      0.00",
		"all                            2       2       1       0      0.50",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	out, errs, code = runTW(t, "eval", "alerts", "--db", db, "--kinds", "metric.low", "--json")
	if code != 0 {
		t.Fatalf("--json: code %d: %s %s", code, out, errs)
	}
	var rep alerteval.VerdictReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(rep.Kinds) != 1 || rep.Kinds[0].Kind != "metric.low" || rep.Total.FalseAlarms != 1 || alerteval.Pct(rep.Total.Precision) != "0.00" {
		t.Errorf("--kinds metric.low: %+v", rep)
	}
}
