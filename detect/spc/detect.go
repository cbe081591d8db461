package spc

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"trustwatch"
	"trustwatch/detect/metric"
)

// DetectorSPC is the rule detector name.
const DetectorSPC = "spc"

// Detection kinds.
const (
	KindOutOfControl = "spc.out_of_control"
	KindDispersion   = "spc.dispersion"
)

// Charts a rule may ask for.
const (
	ChartP     = "p"
	ChartU     = "u"
	ChartEWMA  = "ewma"
	ChartCUSUM = "cusum"
)

// Defaults of Detect.
const (
	DefaultMinCount    = 5    // batches (periods) before any statement
	DefaultRunLength   = 8    // points on one side of the centre line
	DefaultDispersionP = 0.01 // significance of the dispersion test
	DefaultDispersion  = 1.5  // blind-box index worth an alert
	maxEvidence        = 5
)

// Detect charts the defect series as the rule asks (chart p, u, ewma or
// cusum; by default p or u as the data allow, or EWMA for points without
// sample sizes) and returns the out-of-control points, the runs of
// DefaultRunLength on one side of the centre (p and u charts) and, for p
// and u charts, a dispersion finding when the batches vary significantly
// more than chance (p < 0.01) by at least the rule's above (1.5 by default)
// on the blind-box index. Fewer than min_count points (5) give nothing:
// not enough data.
func Detect(pts []trustwatch.Point, def trustwatch.SeriesDef, r trustwatch.Rule, loc *time.Location) ([]trustwatch.Detection, error) {
	if r.Detector != DetectorSPC {
		return nil, trustwatch.Errorf(trustwatch.EINVALID, "rule %s: spc: unknown detector %q", r.ID, r.Detector)
	}
	if loc == nil {
		loc = trustwatch.DefaultLocation()
	}
	pts = slices.Clone(pts)
	slices.SortStableFunc(pts, func(a, b trustwatch.Point) int { return a.Time.Compare(b.Time) })
	if len(pts) < cmp.Or(r.MinCount, DefaultMinCount) {
		return nil, nil
	}
	d := detector{pts: pts, def: def, rule: r, loc: loc}
	basis := BasisOf(pts)
	chart := r.Chart
	if chart == "" {
		switch basis {
		case Binomial:
			chart = ChartP
		case Poisson:
			chart = ChartU
		default:
			chart = ChartEWMA
		}
	}
	var dets []trustwatch.Detection
	var err error
	switch chart {
	case ChartP, ChartU:
		basis = Binomial
		if chart == ChartU {
			basis = Poisson
		}
		dets, err = d.shewhart(basis, chart)
	case ChartEWMA:
		dets, err = d.ewma(basis)
	case ChartCUSUM:
		dets, err = d.cusum(basis)
	default:
		return nil, trustwatch.Errorf(trustwatch.EINVALID, "rule %s: unknown chart %q (want p, u, ewma or cusum)", r.ID, r.Chart)
	}
	if err != nil {
		return nil, trustwatch.Errorf(trustwatch.EINVALID, "rule %s: series %s: %v", r.ID, def.ID, err)
	}
	return dets, nil
}

type detector struct {
	pts  []trustwatch.Point
	def  trustwatch.SeriesDef
	rule trustwatch.Rule
	loc  *time.Location
}

func (d *detector) detection(kind, subject string, p trustwatch.Point, value float64, st string, ev []trustwatch.Evidence) trustwatch.Detection {
	return trustwatch.Detection{
		Rule: d.rule.ID, Kind: kind, Entity: cmp.Or(d.def.Entity, p.Entity), Series: d.def.ID, Subject: subject,
		Time: p.Time, Value: value, Severity: d.rule.Severity, Statement: st, Evidence: ev,
	}
}

// label names a point: its batch and day, or its day.
func (d *detector) label(p trustwatch.Point) string {
	if p.Batch != "" {
		return "批次 " + p.Batch + "（" + metric.Day(p.Time, d.loc) + "）"
	}
	return metric.Day(p.Time, d.loc)
}

func (d *detector) evidence(p trustwatch.Point, note string) trustwatch.Evidence {
	v := p.Value
	if p.Sample > 0 {
		v = p.Count / p.Sample
	}
	return trustwatch.Evidence{Series: d.def.ID, Time: p.Time, Value: v, Note: strings.TrimSpace(note + " " + countNote(p))}
}

func countNote(p trustwatch.Point) string {
	if !(p.Sample > 0) {
		return ""
	}
	s := num(p.Count) + "/" + num(p.Sample)
	if p.Batch != "" {
		s = "批次 " + p.Batch + " " + s
	}
	return s
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// rate writes a rate: a percentage for p, per unit for u, plain for values.
func (d *detector) rate(v float64, basis Basis) string {
	switch basis {
	case Binomial:
		return pct(v)
	case Poisson:
		return trim(v, 3) + " 个/单位"
	}
	return metric.Format(v, d.def.Unit)
}

func pct(v float64) string { return trim(100*v, 2) + "%" }

func trim(v float64, n int) string {
	s := strconv.FormatFloat(v, 'f', n, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

func (d *detector) shewhart(basis Basis, chart string) ([]trustwatch.Detection, error) {
	cps, err := shewhart(d.pts, basis)
	if err != nil {
		return nil, err
	}
	var out []trustwatch.Detection
	for _, cp := range cps {
		if cp.Out == 0 {
			continue
		}
		p := d.pts[cp.Index]
		limit, word := cp.UCL, "超出上限"
		if cp.Out < 0 {
			limit, word = cp.LCL, "低于下限"
		}
		st := fmt.Sprintf("%s %s 缺陷率 %s（%s），%s %s（%s 图，中心线 %s）",
			d.def.Label(), d.label(p), d.rate(cp.Stat, basis), num(cp.Count)+"/"+num(cp.Sample), word, d.rate(limit, basis),
			chart, d.rate(cp.Center, basis))
		out = append(out, d.detection(KindOutOfControl, chart, p, cp.Stat, st, []trustwatch.Evidence{d.evidence(p, "失控点")}))
	}
	for _, run := range Runs(cps, DefaultRunLength) {
		// The run is stated when it reaches the rule's length: at that
		// point it is known; later points only lengthen it.
		at := run.Start + DefaultRunLength - 1
		p := d.pts[at]
		side := "高于"
		if run.Side < 0 {
			side = "低于"
		}
		st := fmt.Sprintf("%s 连续 %d 个点%s中心线 %s（%s 至 %s，%s 图）",
			d.def.Label(), run.End-run.Start+1, side, d.rate(cps[0].Center, basis), d.label(d.pts[run.Start]), d.label(d.pts[run.End]), chart)
		ev := make([]trustwatch.Evidence, 0, run.End-run.Start+1)
		for i := run.Start; i <= run.End; i++ {
			ev = append(ev, d.evidence(d.pts[i], "连续同侧"))
		}
		out = append(out, d.detection(KindOutOfControl, chart+".run", p, float64(run.End-run.Start+1), st, ev))
	}
	if det, ok, err := d.dispersion(basis); err != nil {
		return nil, err
	} else if ok {
		out = append(out, det)
	}
	slices.SortStableFunc(out, func(a, b trustwatch.Detection) int { return a.Time.Compare(b.Time) })
	return out, nil
}

func (d *detector) dispersion(basis Basis) (trustwatch.Detection, bool, error) {
	res, err := Dispersion(d.pts, basis)
	if err != nil {
		// A rate of exactly 0 (or 1) has no dispersion to speak of.
		if c := center(d.pts, basis); c <= 0 || (basis == Binomial && c >= 1) {
			return trustwatch.Detection{}, false, nil
		}
		return trustwatch.Detection{}, false, err
	}
	threshold := DefaultDispersion
	if d.rule.Above != nil {
		threshold = *d.rule.Above
	}
	if res.PValue >= DefaultDispersionP || res.Index < threshold {
		return trustwatch.Detection{}, false, nil
	}
	lo, hi := 0, 0
	x, _ := rates(d.pts, basis)
	for i := range x {
		if x[i] < x[lo] {
			lo = i
		}
		if x[i] > x[hi] {
			hi = i
		}
	}
	model := "二项分布"
	if basis == Poisson {
		model = "泊松分布"
	}
	st := fmt.Sprintf("%s 批次间缺陷率的方差是随机波动（%s）预期的 %s 倍（盲盒指数 φ=%s，χ²=%s，自由度 %d，p%s；%d 批，平均 %s，最低 %s 于%s，最高 %s 于%s）",
		d.def.Label(), model, trim(res.Index, 1), trim(res.Index, 2), trim(res.Chi2, 1), res.DF, pValue(res.PValue),
		res.Batches, d.rate(res.Center, basis), d.rate(x[lo], basis), d.label(d.pts[lo]), d.rate(x[hi], basis), d.label(d.pts[hi]))
	// Evidence: the batches furthest from the centre, as chance measures it.
	order := make([]int, len(d.pts))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Compare(math.Abs(res.Residuals[b]), math.Abs(res.Residuals[a]))
	})
	var ev []trustwatch.Evidence
	for _, i := range order[:min(maxEvidence, len(order))] {
		ev = append(ev, d.evidence(d.pts[i], "偏离 "+trim(res.Residuals[i], 1)+"σ"))
	}
	last := d.pts[len(d.pts)-1]
	return d.detection(KindDispersion, "", last, res.Index, st, ev), true, nil
}

func pValue(p float64) string {
	if p < 0.001 {
		return "<0.001"
	}
	return "=" + trim(p, 3)
}

func (d *detector) ewma(basis Basis) ([]trustwatch.Detection, error) {
	eps, err := EWMA(d.pts, basis, 0.2, 3)
	if err != nil {
		return nil, err
	}
	var out []trustwatch.Detection
	for _, e := range eps {
		if e.Out == 0 {
			continue
		}
		p := d.pts[e.Index]
		limit, word := e.UCL, "超出上限"
		if e.Out < 0 {
			limit, word = e.LCL, "低于下限"
		}
		st := fmt.Sprintf("%s %s EWMA（λ=0.2）为 %s，%s %s（中心线 %s，当期 %s）",
			d.def.Label(), d.label(p), d.rate(e.Z, basis), word, d.rate(limit, basis), d.rate(e.Center, basis), d.rate(e.Stat, basis))
		out = append(out, d.detection(KindOutOfControl, ChartEWMA, p, e.Z, st, []trustwatch.Evidence{d.evidence(p, "EWMA 失控")}))
	}
	return out, nil
}

func (d *detector) cusum(basis Basis) ([]trustwatch.Detection, error) {
	cps, err := CUSUM(d.pts, basis, 0.5, 5)
	if err != nil {
		return nil, err
	}
	c := center(d.pts, basis)
	var out []trustwatch.Detection
	start := 0
	for i, cp := range cps {
		if cp.Out == 0 {
			continue
		}
		// The shift began after the last point at which the sum was 0.
		sum := cp.Hi
		word := "向上偏移"
		if cp.Out < 0 {
			sum, word = cp.Lo, "向下偏移"
		}
		for start = i; start > 0; start-- {
			prev := cps[start-1].Hi
			if cp.Out < 0 {
				prev = cps[start-1].Lo
			}
			if prev == 0 {
				break
			}
		}
		p := d.pts[i]
		st := fmt.Sprintf("%s %s CUSUM %s：累积和 %sσ 超过 h=5σ（自 %s 起，中心线 %s，当期 %s）",
			d.def.Label(), d.label(p), word, trim(sum, 2), d.label(d.pts[start]), d.rate(c, basis), d.rate(cp.Stat, basis))
		out = append(out, d.detection(KindOutOfControl, ChartCUSUM, p, sum, st, []trustwatch.Evidence{d.evidence(p, "CUSUM 失控"), d.evidence(d.pts[start], "偏移起点")}))
	}
	return out, nil
}
