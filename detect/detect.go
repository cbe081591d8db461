package detect

import (
	"trustwatch"
	"trustwatch/detect/burst"
	"trustwatch/detect/health"
	"trustwatch/detect/ledger"
	"trustwatch/detect/metric"
	"trustwatch/detect/sla"
	"trustwatch/detect/spc"
	"trustwatch/detect/terms"
	"trustwatch/detect/voice"
)

// all is the registry, in the order the detectors run.
var all = []trustwatch.Detector{
	metric.Detector{},
	sla.Detector{},
	spc.Detector{},
	burst.Spikes{},
	terms.Detector{},
	ledger.Detector{},
	voice.Detector{},
	health.Detector{},
}

// kinds indexes every kind of every detector.
var kinds = func() map[string]trustwatch.DetectionKind {
	m := map[string]trustwatch.DetectionKind{}
	for _, d := range all {
		for _, k := range d.Kinds() {
			if _, dup := m[k.Kind]; dup {
				panic("detect: kind " + k.Kind + " is registered twice")
			}
			m[k.Kind] = k
		}
	}
	return m
}()

// All returns every detector.
func All() []trustwatch.Detector { return all }

// Kind describes a registered kind of finding; ok is false for one no
// detector emits.
func Kind(kind string) (k trustwatch.DetectionKind, ok bool) {
	k, ok = kinds[kind]
	return k, ok
}

// Kinds returns every registered kind, detector by detector.
func Kinds() []trustwatch.DetectionKind {
	var out []trustwatch.DetectionKind
	for _, d := range all {
		out = append(out, d.Kinds()...)
	}
	return out
}

// SeriesRule reports whether a watch-file rule's detector field names a
// detector that runs over a series (low, sla, spc …).
func SeriesRule(detector string) bool {
	for _, k := range kinds {
		if k.Rule != "" && k.Rule == detector {
			return true
		}
	}
	return false
}

// ItemRule reports whether a rule's detector field names a kind found in
// items (volume.spike, term.nickname …).
func ItemRule(detector string) bool {
	k, ok := kinds[detector]
	return ok && k.Rule == ""
}
