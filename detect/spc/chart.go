package spc

import (
	"fmt"
	"math"
	"time"

	"trustwatch"
)

// Basis is the chance model a chart's limits assume.
type Basis int

// Bases.
const (
	Binomial    Basis = iota // defectives out of a sample: p = count/sample
	Poisson                  // defects per unit: u = count/sample
	Individuals              // plain values, σ from the average moving range
)

func (b Basis) String() string {
	switch b {
	case Binomial:
		return "binomial"
	case Poisson:
		return "poisson"
	}
	return "individuals"
}

// ChartPoint is one point of a Shewhart chart with its own limits.
type ChartPoint struct {
	Index         int
	Time          time.Time
	Batch         string
	Count, Sample float64
	Stat          float64 // p_i, u_i or the value
	Center        float64
	LCL, UCL      float64
	// Out is +1 above the UCL, −1 below the LCL, 0 inside.
	Out int
}

// rates checks the points for a basis and returns each point's statistic.
func rates(pts []trustwatch.Point, basis Basis) ([]float64, error) {
	x := make([]float64, len(pts))
	for i, p := range pts {
		if basis == Individuals {
			x[i] = p.Value
			continue
		}
		switch {
		case !(p.Sample > 0):
			return nil, fmt.Errorf("spc: point %d (%s): sample size %v must be positive", i, p.Time.Format(time.RFC3339), p.Sample)
		case p.Count < 0:
			return nil, fmt.Errorf("spc: point %d (%s): negative count %v", i, p.Time.Format(time.RFC3339), p.Count)
		case basis == Binomial && p.Count > p.Sample:
			return nil, fmt.Errorf("spc: point %d (%s): %v defectives in a sample of %v", i, p.Time.Format(time.RFC3339), p.Count, p.Sample)
		}
		x[i] = p.Count / p.Sample
	}
	return x, nil
}

// BasisOf picks the chance model the points support: binomial when every
// point has a sample and no more defects than units, Poisson when some point
// has more defects than units, individuals when points carry no sample.
func BasisOf(pts []trustwatch.Point) Basis {
	basis := Binomial
	for _, p := range pts {
		if !(p.Sample > 0) {
			return Individuals
		}
		if p.Count > p.Sample {
			basis = Poisson
		}
	}
	return basis
}

// center returns the centre line: Σcount/Σsample, or the mean value.
func center(pts []trustwatch.Point, basis Basis) float64 {
	var c, n float64
	for _, p := range pts {
		if basis == Individuals {
			c += p.Value
			n++
			continue
		}
		c += p.Count
		n += p.Sample
	}
	if n == 0 {
		return math.NaN()
	}
	return c / n
}

// sigmas returns each point's standard deviation under the basis: binomial
// √(p̄(1−p̄)/nᵢ), Poisson √(ū/nᵢ), individuals MR̄/1.128 (d₂ for n=2).
func sigmas(pts []trustwatch.Point, basis Basis, c float64) []float64 {
	s := make([]float64, len(pts))
	var mr float64
	if basis == Individuals && len(pts) > 1 {
		for i := 1; i < len(pts); i++ {
			mr += math.Abs(pts[i].Value - pts[i-1].Value)
		}
		mr /= float64(len(pts) - 1)
	}
	for i, p := range pts {
		switch basis {
		case Binomial:
			s[i] = math.Sqrt(c * (1 - c) / p.Sample)
		case Poisson:
			s[i] = math.Sqrt(c / p.Sample)
		default:
			s[i] = mr / 1.128
		}
	}
	return s
}

// PChart is the p-chart: p̄ = Σdefectives/Σsample, limits
// p̄ ± 3√(p̄(1−p̄)/nᵢ) for each point's own sample size, clipped to [0, 1].
func PChart(pts []trustwatch.Point) ([]ChartPoint, error) {
	return shewhart(pts, Binomial)
}

// UChart is the u-chart: ū = Σdefects/Σunits, limits ū ± 3√(ū/nᵢ), the
// lower clipped at 0.
func UChart(pts []trustwatch.Point) ([]ChartPoint, error) {
	return shewhart(pts, Poisson)
}

func shewhart(pts []trustwatch.Point, basis Basis) ([]ChartPoint, error) {
	x, err := rates(pts, basis)
	if err != nil {
		return nil, err
	}
	if len(pts) == 0 {
		return nil, nil
	}
	c := center(pts, basis)
	sig := sigmas(pts, basis, c)
	out := make([]ChartPoint, len(pts))
	for i, p := range pts {
		cp := ChartPoint{Index: i, Time: p.Time, Batch: p.Batch, Count: p.Count, Sample: p.Sample, Stat: x[i], Center: c,
			LCL: math.Max(0, c-3*sig[i]), UCL: c + 3*sig[i]}
		if basis == Binomial {
			cp.UCL = math.Min(1, cp.UCL)
		}
		switch {
		case sig[i] > 0 && x[i] > cp.UCL:
			cp.Out = 1
		case sig[i] > 0 && x[i] < cp.LCL:
			cp.Out = -1
		}
		out[i] = cp
	}
	return out, nil
}

// Run is a stretch of consecutive points on one side of the centre line.
type Run struct {
	Start, End int // indices, inclusive
	Side       int // +1 above, −1 below
}

// Runs finds the stretches of at least n consecutive points strictly on one
// side of the centre line (n = 8 by the Western Electric rules when ≤ 0). A
// point on the line ends a run.
func Runs(chart []ChartPoint, n int) []Run {
	if n <= 0 {
		n = 8
	}
	var out []Run
	start, side := 0, 0
	flush := func(end int) {
		if side != 0 && end-start+1 >= n {
			out = append(out, Run{Start: start, End: end, Side: side})
		}
	}
	for i, p := range chart {
		s := 0
		if p.Stat > p.Center {
			s = 1
		} else if p.Stat < p.Center {
			s = -1
		}
		if s != side || s == 0 {
			flush(i - 1)
			start, side = i, s
		}
	}
	flush(len(chart) - 1)
	return out
}

// EWMAPoint is one point of an EWMA chart.
type EWMAPoint struct {
	Index    int
	Time     time.Time
	Stat     float64 // the point's rate (or value)
	Z        float64 // the EWMA
	Center   float64
	LCL, UCL float64
	Out      int
}

// EWMA charts zᵢ = λxᵢ + (1−λ)zᵢ₋₁ with z₀ the centre line. Its variance is
// Vᵢ = λ²σᵢ² + (1−λ)²Vᵢ₋₁, which for a constant σ is the textbook
// σ²·λ/(2−λ)·[1−(1−λ)^{2i}], and with varying sample sizes stays exact;
// the limits are centre ± L√Vᵢ (λ = 0.2, L = 3 when ≤ 0).
func EWMA(pts []trustwatch.Point, basis Basis, lambda, L float64) ([]EWMAPoint, error) {
	if lambda <= 0 || lambda > 1 {
		lambda = 0.2
	}
	if L <= 0 {
		L = 3
	}
	x, err := rates(pts, basis)
	if err != nil || len(pts) == 0 {
		return nil, err
	}
	c := center(pts, basis)
	sig := sigmas(pts, basis, c)
	out := make([]EWMAPoint, len(pts))
	z, v := c, 0.0
	for i, p := range pts {
		z = lambda*x[i] + (1-lambda)*z
		v = lambda*lambda*sig[i]*sig[i] + (1-lambda)*(1-lambda)*v
		w := L * math.Sqrt(v)
		e := EWMAPoint{Index: i, Time: p.Time, Stat: x[i], Z: z, Center: c, LCL: c - w, UCL: c + w}
		if basis != Individuals {
			e.LCL = math.Max(0, e.LCL)
		}
		switch {
		case w > 0 && z > e.UCL:
			e.Out = 1
		case w > 0 && z < e.LCL:
			e.Out = -1
		}
		out[i] = e
	}
	return out, nil
}

// CUSUMPoint is one point of a tabular CUSUM.
type CUSUMPoint struct {
	Index  int
	Time   time.Time
	Stat   float64 // the point's rate (or value)
	Std    float64 // standardised (Stat − centre)/σᵢ
	Hi, Lo float64 // C⁺ and C⁻, in σ units
	Out    int     // +1 when C⁺ > h, −1 when C⁻ > h
}

// CUSUM is the standardised tabular CUSUM: with yᵢ = (xᵢ − centre)/σᵢ,
// C⁺ᵢ = max(0, yᵢ − k + C⁺ᵢ₋₁) and C⁻ᵢ = max(0, −yᵢ − k + C⁻ᵢ₋₁), out of
// control when either exceeds h (k = 0.5, h = 5 when ≤ 0). The sums are not
// reset after a signal, so an excursion stays out until it decays.
func CUSUM(pts []trustwatch.Point, basis Basis, k, h float64) ([]CUSUMPoint, error) {
	if k <= 0 {
		k = 0.5
	}
	if h <= 0 {
		h = 5
	}
	x, err := rates(pts, basis)
	if err != nil || len(pts) == 0 {
		return nil, err
	}
	c := center(pts, basis)
	sig := sigmas(pts, basis, c)
	out := make([]CUSUMPoint, len(pts))
	var hi, lo float64
	for i, p := range pts {
		cp := CUSUMPoint{Index: i, Time: p.Time, Stat: x[i], Hi: hi, Lo: lo}
		if sig[i] > 0 {
			y := (x[i] - c) / sig[i]
			hi = math.Max(0, y-k+hi)
			lo = math.Max(0, -y-k+lo)
			cp.Std, cp.Hi, cp.Lo = y, hi, lo
		}
		switch {
		case hi > h:
			cp.Out = 1
		case lo > h:
			cp.Out = -1
		}
		out[i] = cp
	}
	return out, nil
}

// DispersionResult compares the spread of the rate between batches with
// the spread chance would give.
type DispersionResult struct {
	Batches int
	Center  float64 // p̄ or ū
	Chi2    float64 // Pearson χ² = Σ (cᵢ − nᵢc̄)² / Var₀(cᵢ)
	DF      int     // batches − 1
	// Index is the "blind box" index φ = χ²/df: the ratio of the observed
	// variance between batches to the binomial (Poisson) expectation; 1 is
	// chance, 4 means the spread is twice (√4) what chance explains.
	Index  float64
	PValue float64 // P(χ²_df ≥ Chi2) under chance alone
	// Residuals are the Pearson residuals (cᵢ − nᵢc̄)/√Var₀(cᵢ).
	Residuals []float64
}

// Dispersion measures the between-batch dispersion: Var₀(cᵢ) is
// nᵢp̄(1−p̄) (binomial) or nᵢū (Poisson). It needs two batches and a centre
// strictly inside (0, 1) (above 0 for Poisson).
func Dispersion(pts []trustwatch.Point, basis Basis) (DispersionResult, error) {
	if basis == Individuals {
		return DispersionResult{}, fmt.Errorf("spc: dispersion needs counts and sample sizes")
	}
	if _, err := rates(pts, basis); err != nil {
		return DispersionResult{}, err
	}
	if len(pts) < 2 {
		return DispersionResult{}, fmt.Errorf("spc: dispersion needs at least 2 batches, have %d", len(pts))
	}
	c := center(pts, basis)
	if c <= 0 || (basis == Binomial && c >= 1) {
		return DispersionResult{}, fmt.Errorf("spc: dispersion undefined at a defect rate of %v", c)
	}
	res := DispersionResult{Batches: len(pts), Center: c, DF: len(pts) - 1, Residuals: make([]float64, len(pts))}
	for i, p := range pts {
		v := p.Sample * c
		if basis == Binomial {
			v *= 1 - c
		}
		r := (p.Count - p.Sample*c) / math.Sqrt(v)
		res.Residuals[i] = r
		res.Chi2 += r * r
	}
	res.Index = res.Chi2 / float64(res.DF)
	res.PValue = ChiSquareSF(res.Chi2, float64(res.DF))
	return res, nil
}

// ChiSquareSF is the upper tail P(X ≥ x) of a χ² distribution with df
// degrees of freedom: the regularised upper incomplete gamma Q(df/2, x/2).
func ChiSquareSF(x, df float64) float64 {
	if x <= 0 {
		return 1
	}
	return gammaQ(df/2, x/2)
}

// gammaQ is the regularised upper incomplete gamma function, by its series
// for x < a+1 and by Lentz's continued fraction otherwise (Numerical
// Recipes §6.2).
func gammaQ(a, x float64) float64 {
	lg, _ := math.Lgamma(a)
	if x < a+1 {
		sum, term := 1/a, 1/a
		for n := 1; n < 1000; n++ {
			term *= x / (a + float64(n))
			sum += term
			if math.Abs(term) < math.Abs(sum)*1e-15 {
				break
			}
		}
		return 1 - sum*math.Exp(-x+a*math.Log(x)-lg)
	}
	const tiny = 1e-300
	b := x + 1 - a
	c := 1 / tiny
	d := 1 / b
	h := d
	for i := 1; i < 1000; i++ {
		an := -float64(i) * (float64(i) - a)
		b += 2
		d = an*d + b
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = b + an/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < 1e-15 {
			break
		}
	}
	return math.Exp(-x+a*math.Log(x)-lg) * h
}
