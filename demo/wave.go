package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// waveText is what the coordinated wave pastes: the organic talk's words
// about the court's finding (法院, 认定, 夸大, 双风道机盖) with a call not
// to buy.
const waveText = "双风道机盖被法院认定夸大宣传，曜川至今不道歉，大家千万别买Y9"

var (
	wavePrefixes = []string{"", "", "", "@曜川汽车 ", "@曜川汽车客服 "}
	waveSuffixes = []string{"", "", "！", "！！", "[怒]", "[怒][怒]", "。", " http://t.cn/A6yc0x"}
)

// coordinatedWave adds, on the evening of the court's finding, a wave
// of near-identical Weibo posts from accounts that never posted before,
// with generated or masked names, inside a few minutes, beside the organic
// talk about the same finding: the story pages (whose default window, the
// last 30 days, holds it) show how much of the story it is
// (docs/stories.md). It draws from its own random source and
// comes after everything else, so every other draw and id of the scenario
// is as it was.
func (g *generator) coordinatedWave() {
	if g.wave == nil {
		return
	}
	main := g.r
	g.r = g.wave
	defer func() { g.r = main }()
	n := max(8, int(math.Round(40*g.scale)))
	t := g.start.AddDate(0, 0, DayCourt).Add(21*time.Hour + 30*time.Minute)
	for i := range n {
		g.posts = append(g.posts, post{platform: "weibo", id: g.id(), author: waveName(g.r, i),
			text: pick(g.r, wavePrefixes) + waveText + pick(g.r, waveSuffixes), time: t, likes: int64(g.r.IntN(3))})
		t = t.Add(time.Duration(3+g.r.IntN(15)) * time.Second)
	}
}

// waveName is a fresh account name of the kinds a batch of bought or
// freshly made accounts has: the platform's default name, a phone user, or
// one prefix with digits.
func waveName(r *rand.Rand, i int) string {
	switch i % 3 {
	case 0:
		return fmt.Sprintf("用户%010d", 1_000_000_000+r.Int64N(8_999_999_999))
	case 1:
		return fmt.Sprintf("手机用户%04d", r.IntN(10000))
	}
	return fmt.Sprintf("曜川真相%06d", r.IntN(1_000_000))
}
