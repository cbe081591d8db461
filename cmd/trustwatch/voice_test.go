package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestVoiceCmd(t *testing.T) {
	db, config := voiceReportFixture(t)
	code, out, errs := runCmd(t, "voice", "--db", db, "--config", config, "--entity", "founder", "--history", "5", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var p struct {
		N            int     `json:"n"`
		Replies      int     `json:"replies"`
		FatigueShare float64 `json:"fatigue_share"`
		Points       []struct {
			SelfBits float64 `json:"self_bits"`
		} `json:"points"`
	}
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	if p.N != 20 || len(p.Points) != 20 || p.Replies != 20 || p.FatigueShare != 1 {
		t.Errorf("n %d, points %d, replies %d, fatigue %.2f: want 20, 20, 20 and 1", p.N, len(p.Points), p.Replies, p.FatigueShare)
	}
	if code, _, _ := runCmd(t, "voice", "--db", db, "--config", config); code != exitUsage {
		t.Errorf("without --entity: exit %d, want %d", code, exitUsage)
	}
	if code, _, errs := runCmd(t, "voice", "--db", db, "--config", config, "--entity", "nobody"); code != exitFail || !strings.Contains(errs, "nobody") {
		t.Errorf("unknown entity: exit %d (%s), want %d naming it", code, errs, exitFail)
	}
	code, out, _ = runCmd(t, "voice", "--db", db, "--config", config, "--entity", "founder", "--history", "5")
	if code != 0 || !strings.Contains(out, "fatigue: 20 of 20 replies") {
		t.Errorf("text output (exit %d):\n%s", code, out)
	}
}
