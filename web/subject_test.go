package web

import (
	"testing"

	"trustwatch"
)

// TestSubjectName: what an alert is about reads as words on the alerts
// pages, never as a claim id, an aspect id or a detector's code.
func TestSubjectName(t *testing.T) {
	s := &Server{Watch: &trustwatch.Watch{
		Claims:  []trustwatch.Claim{{ID: "y9-brake", Text: "百公里刹停 32 米，同级最短"}},
		Values:  []trustwatch.Value{{ID: "v-user", Text: "用户至上"}},
		Aspects: []trustwatch.AspectDef{{ID: "sos", Name: "紧急救援"}},
	}}
	for _, tt := range []struct {
		kind, subject, want string
	}{
		{"claim.default", "y9-brake", "「百公里刹停 32 米，同级最短」"},
		{"saydo.gap", "v-user", "「用户至上」"},
		{"volume.spike", "brakes", "刹车"},
		{"sentiment.spike", "sos", "紧急救援"},
		{"voice.predictable", "self_bits", "用语重复自己（比特/字）"},
		{"spc.out_of_control", "cusum", "累积和 CUSUM"},
		{"term.emerging", "遥遥领先", "遥遥领先"},
		{"claim.default", "gone-claim", "gone-claim"},
		{"volume.spike", "", ""},
	} {
		if got := s.subjectName(trustwatch.Alert{Kind: tt.kind, Subject: tt.subject}); got != tt.want {
			t.Errorf("subjectName(%s, %s) = %q, want %q", tt.kind, tt.subject, got, tt.want)
		}
	}
}
