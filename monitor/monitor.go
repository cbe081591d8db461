package monitor

import (
	"cmp"
	"context"
	"log/slog"
	"sync"
	"time"

	"trustwatch"
	"trustwatch/analyze"
	"trustwatch/detect"
	"trustwatch/detect/health"
	"trustwatch/source"
)

// DefaultInterval is a source's interval when the watch file gives none.
const DefaultInterval = 5 * time.Minute

// healthLookback bounds the health pass: findings whose time is older
// were raised by an earlier pass (or the monitor was down for a month).
const healthLookback = 30 * 24 * time.Hour

// Monitor runs the rounds.
type Monitor struct {
	Sources []trustwatch.Source
	Dir     *source.Dir
	Feed    *source.Feed
	Rounds  trustwatch.SourceStore
	// Runner is copied for every pass; its From, To, Detectors are set here.
	Runner *analyze.Runner
	// Health replaces the registry's health detector (e.g. a shorter
	// FirstDay); nil keeps it.
	Health trustwatch.Detector
	// Interval is used for sources without one (DefaultInterval when zero).
	Interval time.Duration
	Recorder trustwatch.RoundRecorder
	// Pending, when set, keeps the window the detectors still have to cover
	// in the store, so that a kill between storing data and detecting over
	// it loses no alert: the next process's first pass covers it.
	Pending PendingStore
	// Lock, when set, is taken for the detectors and digests of every
	// pass, so that of several processes over one store one runs them: a
	// pass that finds it held still reads its sources, keeps the window it
	// did not cover for the next pass (and, with Pending, for the holder),
	// and logs that it skipped.
	Lock trustwatch.DetectorLock
	// OnRound is called after every pass with its time.
	OnRound func(ctx context.Context, now time.Time)
	Log     *slog.Logger
	Now     func() time.Time

	mu        sync.Mutex
	pending   time.Time // oldest record stored since the last pass
	flowed    map[string]bool
	lastRound time.Time
}

// PendingStore keeps the detectors' pending window across restarts; the
// SQLite store is one (CommitSource marks it with the records it stores).
type PendingStore interface {
	MarkPending(ctx context.Context, t time.Time) error
	Pending(ctx context.Context) (since time.Time, seq int64, ok bool, err error)
	ClearPending(ctx context.Context, seq int64) error
}

// LastRound is when the last pass ended; zero before the first.
func (m *Monitor) LastRound() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.lastRound
}

// Touch widens the next pass to start at t's day (and, with Pending, the
// passes of a restarted process: a push's items were committed by
// another transaction).
func (m *Monitor) Touch(t time.Time) {
	if t.IsZero() {
		return
	}
	if m.Pending != nil {
		if err := m.Pending.MarkPending(context.Background(), t); err != nil {
			m.log().Error("marking pending detection", "err", err)
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.pending.IsZero() || t.Before(m.pending) {
		m.pending = t
	}
}

// RecordPush logs and records a round of a push source. A round that
// stored items widens the next pass to its own day (call Touch for older
// items).
func (m *Monitor) RecordPush(ctx context.Context, r trustwatch.SourceRound) error {
	r.Kind = trustwatch.SourcePush
	if r.Stored > 0 {
		m.Touch(r.Started)
	}
	return m.record(ctx, source.Result{SourceRound: r})
}

// Run runs rounds until ctx is done; it returns nil then.
func (m *Monitor) Run(ctx context.Context) error {
	next := map[string]time.Time{}
	for {
		now := m.now()
		var due []trustwatch.Source
		wake := now.Add(time.Hour)
		for _, s := range m.Sources {
			if s.SourceKind() == trustwatch.SourcePush {
				continue
			}
			if t := next[s.ID]; !t.After(now) {
				due = append(due, s)
			} else if t.Before(wake) {
				wake = t
			}
		}
		if len(due) == 0 {
			timer := time.NewTimer(wake.Sub(now))
			select {
			case <-ctx.Done():
				timer.Stop()
				return nil
			case <-timer.C:
			}
			continue
		}
		for _, s := range due {
			s.Interval = trustwatch.Duration(m.interval(s))
			next[s.ID] = now.Add(s.Interval.D())
			m.round(ctx, s)
			if ctx.Err() != nil {
				return nil
			}
		}
		m.pass(ctx)
		if ctx.Err() != nil {
			return nil
		}
	}
}

func (m *Monitor) interval(s trustwatch.Source) time.Duration {
	return cmp.Or(s.Interval.D(), m.Interval, DefaultInterval)
}

// round reads one source and records what it did.
func (m *Monitor) round(ctx context.Context, s trustwatch.Source) {
	start := m.now()
	var res source.Result
	switch s.SourceKind() {
	case trustwatch.SourceDir:
		res = m.Dir.Read(ctx, s)
	case trustwatch.SourceFeed:
		res = m.Feed.Read(ctx, s)
	default:
		return
	}
	if res.Skipped {
		m.log().Debug("round skipped: backing off", "source", s.ID)
		return
	}
	res.Started, res.Duration = start, m.now().Sub(start)
	m.Touch(res.Earliest)
	if err := m.record(ctx, res); err != nil {
		m.log().Error("recording round", "source", s.ID, "err", err)
	}
}

func (m *Monitor) record(ctx context.Context, res source.Result) error {
	r := res.SourceRound
	attrs := []any{"source", r.Source, "kind", r.Kind, "read", r.Read, "stored", r.Stored,
		"duplicates", r.Duplicates, "quarantined", r.Quarantined, "failed", r.Failed,
		"duration", r.Duration.Round(time.Millisecond)}
	if r.Err != "" {
		m.log().Warn("round", append(attrs, "error", r.Err)...)
	} else {
		m.log().Info("round", attrs...)
	}
	if r.Stored > 0 {
		m.mu.Lock()
		if m.flowed == nil {
			m.flowed = map[string]bool{}
		}
		m.flowed[r.Source] = true
		m.mu.Unlock()
	}
	if m.Recorder != nil {
		m.Recorder.Round(r)
	}
	if m.Rounds == nil {
		return nil
	}
	return m.Rounds.PutSourceRound(context.WithoutCancel(ctx), r)
}

// pass runs the detectors after the rounds: all of them from the day of
// the oldest newly stored record when something was stored, then the
// health detector; and resolves the silence of sources that flowed again.
func (m *Monitor) pass(ctx context.Context) {
	now := m.now()
	if m.Lock != nil {
		unlock, ok, err := m.Lock.LockDetectors(ctx)
		switch {
		case err != nil:
			m.log().Error("detector lock: skipping the detectors this pass", "err", err)
		case !ok:
			m.log().Info("detector lock held by another process: skipping the detectors this pass")
		}
		if err != nil || !ok {
			m.mu.Lock()
			m.lastRound = m.now() // the sources were read
			m.mu.Unlock()
			return
		}
		defer unlock()
	}
	m.mu.Lock()
	from, flowed := m.pending, m.flowed
	m.pending, m.flowed = time.Time{}, nil
	m.mu.Unlock()
	if m.Runner != nil {
		loc := cmp.Or(m.Runner.Location, trustwatch.DefaultLocation())
		var items, hc []trustwatch.Detector
		all := m.Runner.Detectors
		if all == nil {
			all = detect.All()
		}
		for _, d := range all {
			if d.Name() == (health.Detector{}).Name() {
				if m.Health != nil {
					d = m.Health
				}
				hc = append(hc, d)
			} else {
				items = append(items, d)
			}
		}
		var seq int64
		persisted := false
		if m.Pending != nil {
			since, s, ok, err := m.Pending.Pending(ctx)
			switch {
			case err != nil:
				m.log().Error("reading pending detection", "err", err)
			case ok:
				persisted, seq = true, s
				if from.IsZero() || since.Before(from) {
					from = since
				}
			}
		}
		if !from.IsZero() {
			f := from.In(loc)
			err := m.run(ctx, time.Date(f.Year(), f.Month(), f.Day(), 0, 0, 0, 0, loc), now, items)
			if err == nil && persisted {
				if err := m.Pending.ClearPending(context.WithoutCancel(ctx), seq); err != nil {
					m.log().Error("clearing pending detection", "err", err)
				}
			}
		}
		m.resolveSilence(ctx, flowed)
		// A bounded replay: health judges at now, and a silence older than
		// healthLookback was raised by an earlier pass.
		_ = m.run(ctx, now.Add(-healthLookback), now, hc) // logged; health judges again next pass
	}
	if m.OnRound != nil {
		m.OnRound(ctx, now)
	}
	m.mu.Lock()
	m.lastRound = m.now()
	m.mu.Unlock()
}

func (m *Monitor) run(ctx context.Context, from, to time.Time, ds []trustwatch.Detector) error {
	if len(ds) == 0 {
		return nil
	}
	r := *m.Runner
	r.From, r.To, r.Detectors = from, to, ds
	start := m.now()
	rep, err := r.Run(ctx)
	if err != nil {
		m.log().Error("detectors", "from", from, "err", err)
	}
	if rep != nil {
		m.log().Info("detectors", "from", from, "findings", rep.Detections, "new", len(rep.Result.New),
			"updated", len(rep.Result.Updated), "duration", m.now().Sub(start).Round(time.Millisecond))
	}
	return err
}

// resolveSilence resolves the open source.silent alerts of sources that
// stored data again: the silence is over.
func (m *Monitor) resolveSilence(ctx context.Context, flowed map[string]bool) {
	if len(flowed) == 0 || m.Runner.Engine == nil {
		return
	}
	eng := m.Runner.Engine
	open, _, err := eng.Store.FindAlerts(ctx, trustwatch.AlertFilter{Kind: health.KindSilent, Open: true})
	if err != nil {
		m.log().Error("finding silent alerts", "err", err)
		return
	}
	for _, a := range open {
		if flowed[a.Subject] {
			if _, err := eng.Resolve(ctx, a.ID); err != nil {
				m.log().Error("resolving silent alert", "alert", a.ID, "err", err)
			} else {
				m.log().Info("source flows again: silence resolved", "source", a.Subject, "alert", a.ID)
			}
		}
	}
}

func (m *Monitor) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

func (m *Monitor) log() *slog.Logger {
	if m.Log != nil {
		return m.Log
	}
	return slog.Default()
}
