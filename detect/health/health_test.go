package health_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/detect/health"
)

type rounds []trustwatch.SourceRound

func (r rounds) PutSourceRound(context.Context, trustwatch.SourceRound) error { return nil }
func (r rounds) SourceRounds(_ context.Context, f trustwatch.SourceRoundFilter) ([]trustwatch.SourceRound, error) {
	var out []trustwatch.SourceRound
	for _, x := range r {
		if x.Source == f.Source {
			out = append(out, x)
		}
	}
	return out, nil
}

var t0 = time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)

// every makes n rounds of src, one per gap from start, with fn filling each.
func every(start time.Time, gap time.Duration, n int, fn func(i int, r *trustwatch.SourceRound)) rounds {
	var out rounds
	for i := range n {
		r := trustwatch.SourceRound{Source: "crawl", Kind: "dir", Started: start.Add(time.Duration(i) * gap)}
		fn(i, &r)
		out = append(out, r)
	}
	return out
}

func TestDetect(t *testing.T) {
	hour := trustwatch.Duration(time.Hour)
	stores := func(i int, r *trustwatch.SourceRound) { r.Read, r.Stored = 5, 5 }
	quiet := func(i int, r *trustwatch.SourceRound) {}
	cases := []struct {
		name   string
		src    trustwatch.Source
		rounds rounds
		now    time.Time
		want   []string // kind: statement prefix
		at     []time.Time
	}{{
		name:   "silent after expect",
		src:    trustwatch.Source{ID: "crawl", Expect: trustwatch.Duration(6 * time.Hour)},
		rounds: append(every(t0, time.Hour, 30, stores), every(t0.Add(30*time.Hour), time.Hour, 8, quiet)...),
		now:    t0.Add(37*time.Hour + 30*time.Minute),
		// last data at 29h; silent for 8.5h > 6h, overdue since 35h
		want: []string{"source.silent:数据源「crawl」已静默 8小时30分（预期至少每 6小时0分 有新数据）"},
		at:   []time.Time{t0.Add(35 * time.Hour)},
	}, {
		name:   "within expect: nothing",
		src:    trustwatch.Source{ID: "crawl", Expect: trustwatch.Duration(6 * time.Hour)},
		rounds: append(every(t0, time.Hour, 30, stores), every(t0.Add(30*time.Hour), time.Hour, 5, quiet)...),
		now:    t0.Add(35 * time.Hour),
	}, {
		name: "learned cadence: 3 x median gap of storing rounds",
		src:  trustwatch.Source{ID: "crawl", Interval: trustwatch.Duration(10 * time.Minute)},
		// stores every 2h for two days (median gap 2h, threshold 6h), then quiet
		rounds: append(every(t0, 2*time.Hour, 24, stores), every(t0.Add(48*time.Hour), time.Hour, 7, quiet)...),
		now:    t0.Add(53 * time.Hour),
		// last data at 46h; 7h quiet > 6h
		want: []string{"source.silent:数据源「crawl」已静默 7小时0分（预期至少每 6小时0分"},
		at:   []time.Time{t0.Add(52 * time.Hour)},
	}, {
		name:   "learned cadence not yet exceeded",
		src:    trustwatch.Source{ID: "crawl", Interval: trustwatch.Duration(10 * time.Minute)},
		rounds: append(every(t0, 2*time.Hour, 24, stores), every(t0.Add(48*time.Hour), time.Hour, 5, quiet)...),
		now:    t0.Add(51 * time.Hour),
	}, {
		name:   "the first day never alarms",
		src:    trustwatch.Source{ID: "crawl", Expect: hour},
		rounds: every(t0, time.Hour, 20, quiet),
		now:    t0.Add(20 * time.Hour),
	}, {
		name: "failing after 3 errors names the last error and last good time",
		src:  trustwatch.Source{ID: "crawl", Expect: trustwatch.Duration(48 * time.Hour)},
		rounds: every(t0, time.Hour, 30, func(i int, r *trustwatch.SourceRound) {
			if i >= 27 {
				r.Err = "GET https://rsshub.example/weibo: 403 Forbidden"
			} else {
				stores(i, r)
			}
		}),
		now:  t0.Add(30 * time.Hour),
		want: []string{"source.failing:数据源「crawl」连续 3 轮读取失败；最近的错误：GET https://rsshub.example/weibo: 403 Forbidden；最后一次成功：2024-03-02 10:00:00"},
		at:   []time.Time{t0.Add(27 * time.Hour)},
	}, {
		name: "two errors are not failing",
		src:  trustwatch.Source{ID: "crawl", Expect: trustwatch.Duration(48 * time.Hour)},
		rounds: every(t0, time.Hour, 30, func(i int, r *trustwatch.SourceRound) {
			if i >= 28 {
				r.Err = "timeout"
			} else {
				stores(i, r)
			}
		}),
		now: t0.Add(30 * time.Hour),
	}, {
		name: "bad input: 25% quarantined over the last 10 rounds",
		src:  trustwatch.Source{ID: "crawl", Expect: trustwatch.Duration(48 * time.Hour)},
		rounds: every(t0, time.Hour, 30, func(i int, r *trustwatch.SourceRound) {
			r.Read, r.Stored = 8, 8
			if i >= 20 {
				r.Read, r.Stored, r.Quarantined = 8, 6, 2
			}
		}),
		now:  t0.Add(30 * time.Hour),
		want: []string{"source.bad_input:数据源「crawl」最近 10 轮读入 80 条，其中 20 条无法读取被隔离（25%"},
		at:   []time.Time{t0.Add(29 * time.Hour)},
	}, {
		name: "bad input below the minimum count",
		src:  trustwatch.Source{ID: "crawl", Expect: trustwatch.Duration(48 * time.Hour)},
		rounds: every(t0, time.Hour, 30, func(i int, r *trustwatch.SourceRound) {
			r.Read, r.Stored = 1, 1
			if i >= 25 {
				r.Stored, r.Quarantined = 0, 1
			}
		}),
		now: t0.Add(30 * time.Hour),
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := trustwatch.DetectInput{Sources: c.rounds, Watch: &trustwatch.Watch{Sources: []trustwatch.Source{c.src}},
				Location: trustwatch.DefaultLocation(), To: c.now}
			ds, err := health.Detector{}.Detect(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			if len(ds) != len(c.want) {
				t.Fatalf("%d findings, want %d: %+v", len(ds), len(c.want), ds)
			}
			for i, d := range ds {
				kind, stmt, _ := strings.Cut(c.want[i], ":")
				if d.Kind != kind || !strings.HasPrefix(d.Statement, stmt) || d.Subject != "crawl" || d.Entity != "" || !d.Time.Equal(c.at[i]) {
					t.Errorf("finding %d = %s %q at %v (subject %q), want %s %q… at %v", i, d.Kind, d.Statement, d.Time, d.Subject, kind, stmt, c.at[i])
				}
			}
		})
	}
}
