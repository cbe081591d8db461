package sentiment

import (
	"sync"

	"trustwatch/segment"
)

// segmenter is the process-wide gse segmenter, loaded on first use: a model
// without word features never pays for its dictionary.
var segmenter = sync.OnceValue(func() *segment.Segmenter {
	seg, err := segment.New(nil)
	if err != nil {
		// The dictionary is embedded in the binary: failing to load it is a
		// build defect, like a corrupt embedded model.
		panic("sentiment: " + err.Error())
	}
	return seg
})

// Words returns the words a model that UsesWords scores for text: the
// segment package's words of the normalised text. Ingest, which has them
// already, passes them to ClassifyTokens instead of segmenting twice.
func Words(text string) []string {
	return segmenter().Words(text)
}
