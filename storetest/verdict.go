package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"trustwatch"
)

// testVerdicts: a false-alarm verdict is kept per alert with who, when and
// the note; marking again replaces it; withdrawing deletes it; each change
// is a row of the alert's audit trail.
func testVerdicts(t *testing.T, open func(t *testing.T) trustwatch.Store) {
	ctx := context.Background()
	s := open(t)
	vs, ok := s.(trustwatch.VerdictStore)
	if !ok {
		t.Fatalf("%T keeps no verdicts (trustwatch.VerdictStore)", s)
	}
	at := func(h int) time.Time { return time.Date(2025, 3, 5, h, 0, 0, 0, time.UTC) }
	for _, a := range []trustwatch.Alert{
		{ID: "spike", Rule: "r", Kind: "volume.spike", Entity: "xiaomi", Severity: trustwatch.SeverityHigh, Opened: at(1), Updated: at(1), Statement: "声量激增"},
		{ID: "term", Rule: "r", Kind: "term.emerging", Entity: "leijun", Severity: trustwatch.SeverityLow, Opened: at(2), Updated: at(2), Statement: "新词"},
	} {
		if err := s.PutAlert(ctx, &a); err != nil {
			t.Fatal(err)
		}
	}
	find := func(f trustwatch.VerdictFilter) []trustwatch.Verdict {
		t.Helper()
		v, err := vs.FindVerdicts(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}

	for _, tt := range []struct {
		name string
		v    trustwatch.Verdict
		code string
	}{
		{"NoSuchAlert", trustwatch.Verdict{Alert: "nope", By: "ana", At: at(3)}, trustwatch.ENOTFOUND},
		{"NoActor", trustwatch.Verdict{Alert: "spike", At: at(3)}, trustwatch.EINVALID},
		{"NoTime", trustwatch.Verdict{Alert: "spike", By: "ana"}, trustwatch.EINVALID},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := vs.PutVerdict(ctx, tt.v); trustwatch.ErrorCode(err) != tt.code {
				t.Errorf("PutVerdict: %v, want code %s", err, tt.code)
			}
		})
	}
	if got := find(trustwatch.VerdictFilter{}); len(got) != 0 {
		t.Fatalf("refused verdicts were kept: %+v", got)
	}

	if err := vs.PutVerdict(ctx, trustwatch.Verdict{Alert: "spike", By: "ana", At: at(3), Note: "  转发抽奖，不是投诉  "}); err != nil {
		t.Fatal(err)
	}
	if err := vs.PutVerdict(ctx, trustwatch.Verdict{Alert: "term", By: "bo", At: at(4)}); err != nil {
		t.Fatal(err)
	}
	got := find(trustwatch.VerdictFilter{})
	if len(got) != 2 || got[0].Alert != "spike" || got[0].By != "ana" || !got[0].At.Equal(at(3)) || got[0].Note != "转发抽奖，不是投诉" ||
		got[1].Alert != "term" || got[1].Note != "" {
		t.Fatalf("verdicts = %+v", got)
	}

	t.Run("Replace", func(t *testing.T) {
		if err := vs.PutVerdict(ctx, trustwatch.Verdict{Alert: "spike", By: "cy", At: at(5), Note: "抽奖活动"}); err != nil {
			t.Fatal(err)
		}
		got := find(trustwatch.VerdictFilter{Alert: "spike"})
		if len(got) != 1 || got[0].By != "cy" || !got[0].At.Equal(at(5)) || got[0].Note != "抽奖活动" {
			t.Errorf("after marking again: %+v", got)
		}
	})

	t.Run("Withdraw", func(t *testing.T) {
		if err := vs.DeleteVerdict(ctx, "spike", "ana", at(6)); err != nil {
			t.Fatal(err)
		}
		if got := find(trustwatch.VerdictFilter{}); len(got) != 1 || got[0].Alert != "term" {
			t.Errorf("after withdrawing spike's: %+v", got)
		}
		if err := vs.DeleteVerdict(ctx, "spike", "ana", at(7)); trustwatch.ErrorCode(err) != trustwatch.ENOTFOUND {
			t.Errorf("withdrawing again: %v, want ENOTFOUND", err)
		}
	})

	t.Run("Audit", func(t *testing.T) {
		as, ok := s.(trustwatch.AccessStore)
		if !ok {
			t.Skipf("%T keeps no audit trail", s)
		}
		trail, err := as.AlertAudit(ctx, "spike")
		if err != nil {
			t.Fatal(err)
		}
		var rows []string
		for _, e := range trail {
			rows = append(rows, e.Actor+" "+e.Action+" "+e.Detail)
		}
		want := []string{"ana false_alarm 转发抽奖，不是投诉", "cy false_alarm 抽奖活动", "ana false_alarm_withdrawn "}
		if strings.Join(rows, "|") != strings.Join(want, "|") {
			t.Errorf("audit trail = %q, want %q", rows, want)
		}
	})
}
