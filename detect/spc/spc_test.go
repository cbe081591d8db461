package spc_test

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/detect/spc"
)

var sh = trustwatch.DefaultLocation()

func batches(samples, counts []float64) []trustwatch.Point {
	t0 := time.Date(2025, 6, 1, 9, 0, 0, 0, sh)
	pts := make([]trustwatch.Point, len(counts))
	for i := range counts {
		pts[i] = trustwatch.Point{Series: "body.defects", Time: t0.AddDate(0, 0, i), Count: counts[i], Sample: samples[i],
			Batch: "B" + string(rune('1'+i%9))}
	}
	return pts
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

func TestPChart(t *testing.T) {
	// p̄ = 40/1000 = 0.04. Limits 0.04 ± 3√(0.04·0.96/n):
	// n=100: 3σ = 0.0587878 → [0, 0.0987878]; n=200: 3σ = 0.0415692 → [0, 0.0815692];
	// n=400: 3σ = 0.0293939 → [0.0106061, 0.0693939].
	pts := batches([]float64{100, 200, 100, 200, 400}, []float64{5, 10, 15, 6, 4})
	cps, err := spc.PChart(pts)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		stat, lcl, ucl float64
		out            int
	}{
		{0.05, 0, 0.0987878, 0},
		{0.05, 0, 0.0815692, 0},
		{0.15, 0, 0.0987878, 1},
		{0.03, 0, 0.0815692, 0},
		{0.01, 0.0106061, 0.0693939, -1},
	}
	for i, w := range want {
		c := cps[i]
		if !near(c.Center, 0.04) || !near(c.Stat, w.stat) || !near(c.LCL, w.lcl) || !near(c.UCL, w.ucl) || c.Out != w.out {
			t.Errorf("point %d: %+v, want %+v", i, c, w)
		}
	}
}

func TestUChart(t *testing.T) {
	// ū = 200/100 = 2. Limits 2 ± 3√(2/n): n=10 → [0.6583592, 3.3416408];
	// n=20 → [1.0513167, 2.9486833]; n=40 → [1.3291796, 2.6708204].
	pts := batches([]float64{10, 20, 10, 20, 40}, []float64{20, 30, 45, 40, 65})
	cps, err := spc.UChart(pts)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		stat, lcl, ucl float64
		out            int
	}{
		{2, 0.6583592, 3.3416408, 0},
		{1.5, 1.0513167, 2.9486833, 0},
		{4.5, 0.6583592, 3.3416408, 1},
		{2, 1.0513167, 2.9486833, 0},
		{1.625, 1.3291796, 2.6708204, 0},
	}
	for i, w := range want {
		c := cps[i]
		if !near(c.Center, 2) || !near(c.Stat, w.stat) || !near(c.LCL, w.lcl) || !near(c.UCL, w.ucl) || c.Out != w.out {
			t.Errorf("point %d: %+v, want %+v", i, c, w)
		}
	}
}

// shift is 10 batches of 2/100 then 10 of 8/100: p̄ = 0.05, σ = √(0.05·0.95/100) = 0.0217945.
func shift() []trustwatch.Point {
	n := slices.Repeat([]float64{100}, 20)
	c := append(slices.Repeat([]float64{2}, 10), slices.Repeat([]float64{8}, 10)...)
	return batches(n, c)
}

func TestEWMA(t *testing.T) {
	eps, err := spc.EWMA(shift(), spc.Binomial, 0.2, 3)
	if err != nil {
		t.Fatal(err)
	}
	sigma := math.Sqrt(0.05 * 0.95 / 100)
	var out []int
	for i, e := range eps {
		// Textbook limits for constant σ: p̄ ± Lσ√(λ/(2−λ)·[1−(1−λ)^{2i}]), i from 1.
		w := 3 * sigma * math.Sqrt(0.2/1.8*(1-math.Pow(0.8, 2*float64(i+1))))
		if !near(e.UCL, 0.05+w) || !near(e.LCL, 0.05-w) {
			t.Errorf("point %d: limits [%v, %v], want ±%v", i+1, e.LCL, e.UCL, w)
		}
		// z_i = 0.02 + 0.03·0.8^i for the first ten.
		if i < 10 && !near(e.Z, 0.02+0.03*math.Pow(0.8, float64(i+1))) {
			t.Errorf("point %d: z %v", i+1, e.Z)
		}
		if e.Out != 0 {
			out = append(out, (i+1)*e.Out)
		}
	}
	// By hand: z₆ = 0.0278643 < LCL₆ = 0.0289679 (z₅ = 0.0298304 > LCL₅ = 0.0294088);
	// z₁₉ = 0.0723793 > UCL ≈ 0.0717945 (z₁₈ = 0.0704741 is inside).
	want := []int{-6, -7, -8, -9, -10, 19, 20}
	if !slices.Equal(out, want) {
		t.Errorf("out of control at %v, want %v", out, want)
	}
	if !near(eps[0].Z, 0.2*0.02+0.8*0.05) || !near(eps[1].Z, 0.2*0.02+0.8*0.044) {
		t.Errorf("z1=%v z2=%v", eps[0].Z, eps[1].Z)
	}
}

func TestCUSUM(t *testing.T) {
	cps, err := spc.CUSUM(shift(), spc.Binomial, 0.5, 5)
	if err != nil {
		t.Fatal(err)
	}
	// y = ±0.03/0.0217945 = ±1.3764944. C⁻ grows by 0.8764944 a batch:
	// 5.2589664 at batch 6; then falls by 1.8764944: 6.8884496, 5.0119552, 3.1354608.
	// C⁺ grows by 0.8764944 from batch 11: 5.2589664 at batch 16.
	var out []int
	for i, c := range cps {
		if c.Out != 0 {
			out = append(out, (i+1)*c.Out)
		}
	}
	want := []int{-6, -7, -8, -9, -10, -11, -12, 16, 17, 18, 19, 20}
	if !slices.Equal(out, want) {
		t.Errorf("out of control at %v, want %v", out, want)
	}
	if !near(cps[5].Lo, 5.2589664) || !near(cps[11].Lo, 5.0119552) || !near(cps[15].Hi, 5.2589664) || !near(cps[0].Std, -1.3764944) {
		t.Errorf("sums: %+v %+v %+v", cps[5], cps[11], cps[15])
	}
}

func TestRuns(t *testing.T) {
	cps, _ := spc.PChart(shift())
	runs := spc.Runs(cps, 8)
	want := []spc.Run{{Start: 0, End: 9, Side: -1}, {Start: 10, End: 19, Side: 1}}
	if !slices.Equal(runs, want) {
		t.Errorf("runs %v, want %v", runs, want)
	}
	// A point on the centre line breaks a run.
	pts := batches(slices.Repeat([]float64{100}, 9), []float64{4, 4, 4, 4, 5, 6, 6, 6, 6})
	cps, _ = spc.PChart(pts)
	if runs := spc.Runs(cps, 4); len(runs) != 2 {
		t.Errorf("runs %v", runs)
	}
}

func TestDispersion(t *testing.T) {
	res, err := spc.Dispersion(shift(), spc.Binomial)
	if err != nil {
		t.Fatal(err)
	}
	// χ² = 20·(±3)²/(100·0.05·0.95) = 37.894737, df 19, φ = 1.9944598,
	// p = 0.0061204 (closed form for odd df).
	if !near(res.Chi2, 37.894737) || res.DF != 19 || !near(res.Index, 1.9944598) || !near(res.PValue, 0.006120391224160764) {
		t.Errorf("got %+v", res)
	}
	even, _ := spc.Dispersion(batches(slices.Repeat([]float64{100}, 5), []float64{5, 5, 5, 5, 5}), spc.Binomial)
	if even.Chi2 != 0 || even.Index != 0 || even.PValue != 1 {
		t.Errorf("equal rates: %+v", even)
	}
	// Poisson: ū = 2; χ² = Σ(c − 2n)²/(2n) = 0 + 100/40 + 625/20 + 0 + 225/80 = 36.5625.
	pois, _ := spc.Dispersion(batches([]float64{10, 20, 10, 20, 40}, []float64{20, 30, 45, 40, 65}), spc.Poisson)
	if !near(pois.Chi2, 36.5625) || !near(pois.Index, 36.5625/4) {
		t.Errorf("poisson: %+v", pois)
	}
	if _, err := spc.Dispersion(batches([]float64{100}, []float64{3}), spc.Binomial); err == nil {
		t.Error("one batch must be an error")
	}
}

func TestChiSquareSF(t *testing.T) {
	tests := []struct{ x, df, want float64 }{
		{6, 2, 0.049787068367863944},   // e^{−3}
		{10, 4, 0.0404276819945128},    // e^{−5}(1 + 5)
		{20, 10, 0.029252688076961075}, // e^{−10}Σ_{i<5} 10^i/i!
		{3.841458820694124, 1, 0.05},
		{15, 7, 0.035999404763428784},
		{40, 22, 0.010811718826652723},
		{0, 3, 1},
	}
	for _, tt := range tests {
		if got := spc.ChiSquareSF(tt.x, tt.df); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("ChiSquareSF(%v, %v) = %v, want %v", tt.x, tt.df, got, tt.want)
		}
	}
}

func TestDetect(t *testing.T) {
	def := trustwatch.SeriesDef{ID: "body.defects", Entity: "su7", Kind: trustwatch.SeriesDefects}
	rule := func(chart string) trustwatch.Rule {
		return trustwatch.Rule{ID: "body", Series: "body.defects", Detector: "spc", Chart: chart}
	}
	type want struct {
		kind, subject string
		day           string
		value         float64
	}
	tests := []struct {
		name       string
		pts        []trustwatch.Point
		rule       trustwatch.Rule
		want       []want
		statements map[int]string
	}{
		{
			name: "p chart: points beyond their own limits",
			pts:  batches([]float64{100, 200, 100, 200, 400}, []float64{5, 10, 15, 6, 4}),
			rule: rule("p"),
			// Var₀ = n·0.04·0.96: χ² = 1/3.84 + 4/7.68 + 121/3.84 + 4/7.68 + 144/15.36 = 42.1875, df 4.
			want: []want{
				{"spc.out_of_control", "p", "2025-06-03", 0.15},
				{"spc.out_of_control", "p", "2025-06-05", 0.01},
				{"spc.dispersion", "", "2025-06-05", 42.1875 / 4},
			},
			statements: map[int]string{
				0: "body.defects 批次 B3（2025-06-03） 缺陷率 15%（15/100），超出上限 9.88%（p 图，中心线 4%）",
				1: "body.defects 批次 B5（2025-06-05） 缺陷率 1%（4/400），低于下限 1.06%（p 图，中心线 4%）",
				2: "body.defects 批次间缺陷率的方差是随机波动（二项分布）预期的 10.5 倍（盲盒指数 φ=10.55，χ²=42.2，自由度 4，p<0.001；5 批，平均 4%，最低 1% 于批次 B5（2025-06-05），最高 15% 于批次 B3（2025-06-03））",
			},
		},
		{
			name: "p chart: two runs of 10 and the blind-box index",
			pts:  shift(),
			rule: rule(""),
			want: []want{
				{"spc.out_of_control", "p.run", "2025-06-08", 10},
				{"spc.out_of_control", "p.run", "2025-06-18", 10},
				{"spc.dispersion", "", "2025-06-20", 1.9944598337950137},
			},
			statements: map[int]string{
				0: "body.defects 连续 10 个点低于中心线 5%（批次 B1（2025-06-01） 至 批次 B1（2025-06-10），p 图）",
			},
		},
		{
			name: "blind-box threshold raised by above",
			pts:  shift(),
			rule: trustwatch.Rule{ID: "body", Detector: "spc", Chart: "p", Above: func() *float64 { v := 2.5; return &v }()},
			want: []want{
				{"spc.out_of_control", "p.run", "2025-06-08", 10},
				{"spc.out_of_control", "p.run", "2025-06-18", 10},
			},
		},
		{
			name: "ewma",
			pts:  shift(),
			rule: rule("ewma"),
			want: []want{
				{"spc.out_of_control", "ewma", "2025-06-06", 0.02 + 0.03*math.Pow(0.8, 6)},
				{"spc.out_of_control", "ewma", "2025-06-07", 0.02 + 0.03*math.Pow(0.8, 7)},
				{"spc.out_of_control", "ewma", "2025-06-08", 0.02 + 0.03*math.Pow(0.8, 8)},
				{"spc.out_of_control", "ewma", "2025-06-09", 0.02 + 0.03*math.Pow(0.8, 9)},
				{"spc.out_of_control", "ewma", "2025-06-10", 0.02 + 0.03*math.Pow(0.8, 10)},
				{"spc.out_of_control", "ewma", "2025-06-19", 0.08 - (0.06-0.03*math.Pow(0.8, 10))*math.Pow(0.8, 9)},
				{"spc.out_of_control", "ewma", "2025-06-20", 0.08 - (0.06-0.03*math.Pow(0.8, 10))*math.Pow(0.8, 10)},
			},
		},
		{
			name: "cusum: the shift's start is named",
			pts:  shift(),
			rule: rule("cusum"),
			want: []want{
				{"spc.out_of_control", "cusum", "2025-06-06", 5.2589664}, {"spc.out_of_control", "cusum", "2025-06-07", 6.1354608},
				{"spc.out_of_control", "cusum", "2025-06-08", 7.0119552}, {"spc.out_of_control", "cusum", "2025-06-09", 7.8884496},
				{"spc.out_of_control", "cusum", "2025-06-10", 8.764944}, {"spc.out_of_control", "cusum", "2025-06-11", 6.8884496},
				{"spc.out_of_control", "cusum", "2025-06-12", 5.0119552}, {"spc.out_of_control", "cusum", "2025-06-16", 5.2589664},
				{"spc.out_of_control", "cusum", "2025-06-17", 6.1354608}, {"spc.out_of_control", "cusum", "2025-06-18", 7.0119552},
				{"spc.out_of_control", "cusum", "2025-06-19", 7.8884496}, {"spc.out_of_control", "cusum", "2025-06-20", 8.764944},
			},
			statements: map[int]string{
				0: "body.defects 批次 B6（2025-06-06） CUSUM 向下偏移：累积和 5.26σ 超过 h=5σ（自 批次 B1（2025-06-01） 起，中心线 5%，当期 2%）",
				7: "body.defects 批次 B7（2025-06-16） CUSUM 向上偏移：累积和 5.26σ 超过 h=5σ（自 批次 B2（2025-06-11） 起，中心线 5%，当期 8%）",
			},
		},
		{
			name: "equal rates: in control, no dispersion",
			pts:  batches(slices.Repeat([]float64{100}, 6), slices.Repeat([]float64{5}, 6)),
			rule: rule("p"),
		},
		{
			name: "no defects at all",
			pts:  batches(slices.Repeat([]float64{100}, 6), slices.Repeat([]float64{0}, 6)),
			rule: rule("p"),
		},
		{
			name: "one point is not enough data",
			pts:  batches([]float64{100}, []float64{50}),
			rule: rule("p"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dets, err := spc.Detect(tt.pts, def, tt.rule, sh)
			if err != nil {
				t.Fatal(err)
			}
			if len(dets) != len(tt.want) {
				for _, d := range dets {
					t.Logf("%s %s %v %s", d.Kind, d.Time.In(sh).Format(time.DateOnly), d.Value, d.Statement)
				}
				t.Fatalf("got %d detections, want %d", len(dets), len(tt.want))
			}
			for i, d := range dets {
				w := tt.want[i]
				if d.Kind != w.kind || d.Subject != w.subject || d.Time.In(sh).Format(time.DateOnly) != w.day || !near(d.Value, w.value) {
					t.Errorf("detection %d: %s %q %s %v, want %+v", i, d.Kind, d.Subject, d.Time.In(sh).Format(time.DateOnly), d.Value, w)
				}
				if d.Entity != "su7" || d.Series != "body.defects" || d.Rule != "body" || len(d.Evidence) == 0 {
					t.Errorf("detection %d: %+v", i, d)
				}
				if s, ok := tt.statements[i]; ok && d.Statement != s {
					t.Errorf("detection %d:\n got %s\nwant %s", i, d.Statement, s)
				}
			}
		})
	}
}

func TestDetectErrors(t *testing.T) {
	def := trustwatch.SeriesDef{ID: "body.defects"}
	bad := batches([]float64{100, 100, 0, 100, 100}, []float64{1, 2, 3, 4, 5})
	tests := []struct {
		name string
		pts  []trustwatch.Point
		rule trustwatch.Rule
		msg  string
	}{
		{"zero sample", bad, trustwatch.Rule{ID: "b", Detector: "spc", Chart: "p"}, "sample size 0"},
		{"more defectives than sample", batches(slices.Repeat([]float64{10}, 5), []float64{1, 2, 30, 4, 5}), trustwatch.Rule{ID: "b", Detector: "spc", Chart: "p"}, "30 defectives in a sample of 10"},
		{"unknown chart", shift(), trustwatch.Rule{ID: "b", Detector: "spc", Chart: "xbar"}, "unknown chart"},
		{"not spc", shift(), trustwatch.Rule{ID: "b", Detector: "sla"}, "unknown detector"},
	}
	for _, tt := range tests {
		_, err := spc.Detect(tt.pts, def, tt.rule, sh)
		if trustwatch.ErrorCode(err) != trustwatch.EINVALID || !strings.Contains(trustwatch.ErrorMessage(err), tt.msg) {
			t.Errorf("%s: err %v, want EINVALID with %q", tt.name, err, tt.msg)
		}
	}
}

func TestIndividualsEWMA(t *testing.T) {
	// Values without sample sizes: σ = MR̄/1.128. Values 10, 12, 10, 12, 10, 12: MR̄ = 2,
	// σ = 1.7730496, centre 11. z₁ = 0.2·10 + 0.8·11 = 10.8.
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, sh)
	var pts []trustwatch.Point
	for i, v := range []float64{10, 12, 10, 12, 10, 12} {
		pts = append(pts, trustwatch.Point{Time: t0.AddDate(0, 0, i), Value: v})
	}
	if b := spc.BasisOf(pts); b != spc.Individuals {
		t.Fatalf("basis %v", b)
	}
	eps, err := spc.EWMA(pts, spc.Individuals, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	w := 3 * 2 / 1.128 * math.Sqrt(0.2/1.8*(1-math.Pow(0.8, 2)))
	if !near(eps[0].Z, 10.8) || !near(eps[0].UCL, 11+w) || eps[0].Out != 0 {
		t.Errorf("got %+v", eps[0])
	}
}

func BenchmarkDetectP(b *testing.B) {
	n := make([]float64, 2000)
	c := make([]float64, 2000)
	for i := range n {
		n[i] = float64(100 + i%50)
		c[i] = float64(i % 9)
	}
	pts := batches(n, c)
	r := trustwatch.Rule{ID: "b", Detector: "spc", Chart: "p"}
	for b.Loop() {
		if _, err := spc.Detect(pts, trustwatch.SeriesDef{ID: "x"}, r, sh); err != nil {
			b.Fatal(err)
		}
	}
}
