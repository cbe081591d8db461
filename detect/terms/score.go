package terms

import "math"

// MinRise is the least signed G² for a rise to count as significant where
// one must (Options.Scoped, and so Detect): 10.83 is the χ² quantile of
// one degree of freedom at p = 0.001.
const MinRise = 10.83

// MinScopedCount is the fewest window documents with both the term and a
// watched entity before the term can be about that entity.
const MinScopedCount = 3

// xlnx is x ln x, 0 at 0.
func xlnx(x float64) float64 {
	if x <= 0 {
		return 0
	}
	return x * math.Log(x)
}

// riseG2 is Dunning's log-likelihood ratio G² of the 2×2 table
//
//	            term    no term
//	window      a       n − a
//	background  b       m − b
//
// G² = 2 Σ O ln(O/E) with E the counts expected if the term's share were
// the same in both rows, written with x ln x terms as
// 2 [Σ O ln O − Σ rows R ln R − Σ columns C ln C + T ln T]. It is signed:
// positive when the window's share a/n is above the background's b/m,
// negative when below, and 0 when either row is empty (no baseline means
// no rise). Unlike the ratio of shares it grows with the evidence: 949 of
// 10,000 against 1,800 of 300,000 (G² 3172) beats 100 against 0 (G² 688).
// It is finite for any counts with 0 ≤ a ≤ n, 0 ≤ b ≤ m.
func riseG2(a, n, b, m int) float64 {
	if n <= 0 || m <= 0 {
		return 0
	}
	a, b = min(max(a, 0), n), min(max(b, 0), m)
	A, N, B, M := float64(a), float64(n), float64(b), float64(m)
	g := 2 * (xlnx(A) + xlnx(N-A) + xlnx(B) + xlnx(M-B) -
		xlnx(A+B) - xlnx(N+M-A-B) - xlnx(N) - xlnx(M) + xlnx(N+M))
	g = max(g, 0) // rounding can leave a tiny negative
	if A*M < B*N {
		g = -g
	}
	return g
}

// maxScore bounds every reported measure: JSON has no infinity.
const maxScore = 1e12

// finite turns NaN into 0 and clamps ±Inf and huge values to ±maxScore.
func finite(x float64) float64 {
	switch {
	case math.IsNaN(x):
		return 0
	case x > maxScore:
		return maxScore
	case x < -maxScore:
		return -maxScore
	}
	return x
}
