package storetest

import (
	"context"
	"testing"
	"time"

	"trustwatch"
)

func testQuarantine(t *testing.T, open func(t *testing.T) trustwatch.Store) {
	ctx := context.Background()
	s := open(t)
	at := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	bad := []trustwatch.Quarantined{
		{File: "weibo.jsonl", Line: 3, Reason: "invalid json", Raw: []byte(`{"id": 3,`)},
		{File: "weibo.jsonl", Line: 7, Reason: "missing time", Raw: []byte(`{"id": 7}`), Time: at},
	}
	find := func(f trustwatch.QuarantineFilter) ([]trustwatch.Quarantined, int) {
		t.Helper()
		qs, n, err := s.FindQuarantine(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return qs, n
	}

	if stored, dups, err := s.PutQuarantine(ctx, bad); err != nil {
		t.Fatal(err)
	} else if stored != 2 || dups != 0 {
		t.Errorf("first put: %d stored, %d already kept; want 2, 0", stored, dups)
	}
	qs, n := find(trustwatch.QuarantineFilter{})
	if n != 2 || len(qs) != 2 {
		t.Fatalf("after one put: %d records (total %d); want 2", len(qs), n)
	}
	for i, q := range qs {
		if q.File != bad[i].File || q.Line != bad[i].Line || q.Reason != bad[i].Reason || string(q.Raw) != string(bad[i].Raw) {
			t.Errorf("record %d = %+v; want %+v", i, q, bad[i])
		}
	}
	if qs[0].ID == 0 || qs[1].ID <= qs[0].ID {
		t.Errorf("ids %d, %d; want increasing from 1", qs[0].ID, qs[1].ID)
	}
	if qs[0].Time.IsZero() {
		t.Error("record without a time was not given the time it was kept")
	}
	if !qs[1].Time.Equal(at) {
		t.Errorf("Time = %v; want %v as given", qs[1].Time, at)
	}

	t.Run("Idempotent", func(t *testing.T) {
		if stored, dups, err := s.PutQuarantine(ctx, bad); err != nil {
			t.Fatal(err)
		} else if stored != 0 || dups != 2 {
			t.Errorf("re-put: %d stored, %d already kept; want 0, 2", stored, dups)
		}
		if _, n := find(trustwatch.QuarantineFilter{}); n != 2 {
			t.Errorf("after re-putting the same records: %d; want 2", n)
		}
	})

	t.Run("OtherRawIsKept", func(t *testing.T) {
		other := bad[0]
		other.Raw = []byte(`{"id": 33,`)
		more := []trustwatch.Quarantined{other, {File: "xhs.csv", Line: 2, Reason: "missing text"}}
		if stored, dups, err := s.PutQuarantine(ctx, append(more, bad[1])); err != nil {
			t.Fatal(err)
		} else if stored != 2 || dups != 1 {
			t.Errorf("two new and one kept: %d stored, %d already kept; want 2, 1", stored, dups)
		}
		if _, n := find(trustwatch.QuarantineFilter{}); n != 4 {
			t.Errorf("total = %d; want 4", n)
		}
	})

	t.Run("Filter", func(t *testing.T) {
		qs, n := find(trustwatch.QuarantineFilter{File: "xhs.csv"})
		if n != 1 || len(qs) != 1 || qs[0].Line != 2 || len(qs[0].Raw) != 0 {
			t.Errorf("file filter = %+v (total %d); want the one xhs.csv record, no raw bytes", qs, n)
		}
		qs, n = find(trustwatch.QuarantineFilter{File: "weibo.jsonl", Offset: 1, Limit: 1})
		if n != 3 || len(qs) != 1 || qs[0].Line != 7 {
			t.Errorf("page = %+v (total %d); want line 7 of 3", qs, n)
		}
	})
}
