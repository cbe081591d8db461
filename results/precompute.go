package results

import (
	"context"
	"fmt"
	"time"

	"trustwatch"
)

// Precomputer computes every result the pages show by default for the
// current data, and saves those not saved at this version yet: the ledger
// of all claims, each claim's evidence, the voice profile of each entity
// with accounts, the terms of the default week, and the stories and the
// report of the default window. trustwatch runs it at the end of analyze,
// of the demo's store build and of every round of trustwatch run.
type Precomputer struct {
	Computer
	Results trustwatch.ResultStore
	// Now is the report's "generated" time; time.Now when nil.
	Now func() time.Time
}

// Summary says what a run did.
type Summary struct {
	Version  string
	Computed []string // keys computed and saved
	Fresh    int      // keys already saved at this version
	Took     time.Duration
}

// job is one result to precompute: its key, the version it must have, and
// how to compute it.
type job struct {
	key, version string
	compute      func(ctx context.Context) (any, error)
}

// Run computes and saves the stale results. An empty store has nothing to
// precompute.
func (p *Precomputer) Run(ctx context.Context) (Summary, error) {
	start := time.Now()
	loc := p.location()
	version, err := NewBasis(p.Watch, loc).Version(ctx, p.Store)
	sum := Summary{Version: version}
	if err != nil {
		return sum, err
	}
	jobs, err := p.jobs(ctx, version)
	if err != nil {
		return sum, err
	}
	for _, j := range jobs {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		saved, _, err := p.Results.Result(ctx, j.key)
		switch {
		case err == nil && saved == j.version:
			sum.Fresh++
			continue
		case err != nil && trustwatch.ErrorCode(err) != trustwatch.ENOTFOUND:
			return sum, err
		}
		v, err := j.compute(ctx)
		if err != nil {
			return sum, fmt.Errorf("results: %s: %w", j.key, err)
		}
		if err := Save(ctx, p.Results, j.key, j.version, v); err != nil {
			return sum, err
		}
		sum.Computed = append(sum.Computed, j.key)
	}
	sum.Took = time.Since(start)
	return sum, nil
}

// jobs lists the results the pages show by default, with the pages' own
// default parameters (Defaults).
func (p *Precomputer) jobs(ctx context.Context, version string) ([]job, error) {
	_, last, n, err := p.Store.Span(ctx)
	if err != nil || n == 0 {
		return nil, err
	}
	w := p.Watch
	if w == nil {
		w = &trustwatch.Watch{}
	}
	d := DefaultsFor(last, p.location())
	jobs := []job{{LedgerKey(d.At, ""), version, func(ctx context.Context) (any, error) { return p.Ledger(ctx, d.At, "") }}}
	for _, c := range w.Claims {
		jobs = append(jobs, job{EvidenceKey(c.ID, d.At), version, func(ctx context.Context) (any, error) { return p.Evidence(ctx, c.ID, d.At) }})
	}
	for _, e := range w.Entities {
		if len(e.Accounts) == 0 {
			continue
		}
		jobs = append(jobs, job{VoiceKey(e.ID, d.VoiceFrom, d.At), version, func(ctx context.Context) (any, error) {
			return p.Voice(ctx, e.ID, d.VoiceFrom, d.At)
		}})
	}
	jobs = append(jobs, job{TermsKey(d.TermsFrom, d.At, "", false), version, func(ctx context.Context) (any, error) {
		return p.Terms(ctx, d.TermsFrom, d.At, "", false)
	}})
	jobs = append(jobs, job{StoriesKey(d.ReportFrom, d.At), version, func(ctx context.Context) (any, error) {
		return p.Stories(ctx, d.ReportFrom, d.At)
	}})
	alerts, err := AlertsVersion(ctx, p.Store)
	if err != nil {
		return nil, err
	}
	jobs = append(jobs, job{ReportKey(d.ReportFrom, d.At), version + "/" + alerts, func(ctx context.Context) (any, error) {
		now := time.Now
		if p.Now != nil {
			now = p.Now
		}
		return p.Report(ctx, d.ReportFrom, d.At, now())
	}})
	return jobs, nil
}
