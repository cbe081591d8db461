package story_test

import (
	"os"
	"testing"

	"trustwatch"
	"trustwatch/demo"
	"trustwatch/reader"
	"trustwatch/segment"
	"trustwatch/story"
	"trustwatch/watchfile"
)

// demoItems reads about 10,000 items of the demo scenario (scale 0.2) and
// the segmenter of its watch file.
func demoItems(b *testing.B) ([]trustwatch.Item, func(string) []string) {
	b.Helper()
	files, err := demo.Generate(b.TempDir(), 1, 0.2)
	if err != nil {
		b.Fatal(err)
	}
	w, err := watchfile.Load(files.Watch)
	if err != nil {
		b.Fatal(err)
	}
	seg, err := segment.ForWatch(w)
	if err != nil {
		b.Fatal(err)
	}
	var items []trustwatch.Item
	for _, path := range files.Items {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		_, err = reader.Read(path, f, reader.Options{}, func(r reader.Record) error {
			if r.Item != nil {
				items = append(items, *r.Item)
			}
			return nil
		})
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
	return items, seg.Words
}

// BenchmarkStories clusters the demo's items, cutting every text with the
// demo's segmenter as the dashboard does; ns/item is the cost per item.
func BenchmarkStories(b *testing.B) {
	items, cut := demoItems(b)
	b.ResetTimer()
	var n int
	for b.Loop() {
		n = len(story.Cluster(items, story.Options{Cut: cut}))
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(items)), "ns/item")
	b.ReportMetric(float64(len(items)), "items")
	b.ReportMetric(float64(n), "stories")
}
