package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runLedgerCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

const ledgerEntities = `entities:
  - {id: mi, kind: brand, name: 小米}
  - {id: su7u, kind: product, name: SU7 Ultra, parent: mi}
  - {id: yu7, kind: product, name: YU7, parent: mi}
`

const ledgerClaims = `claims:
  - id: hood
    entity: su7u
    text: 双风道前舱盖，赛道黑科技
    date: 2025-03-01
    kind: performance
    subject: [风道, 机盖]
`

const ledgerItems = `{"id":"b0","platform":"weibo","text":"SU7 Ultra机盖风道是虚假宣传","time":"2025-02-01T10:00:00+08:00"}
{"id":"b1","platform":"weibo","text":"SU7 Ultra的机盖风道就是个摆设","time":"2025-05-10T10:00:00+08:00","likes":10}
{"id":"b2","platform":"weibo","text":"SU7 Ultra机盖风道虚假宣传，退一赔三","time":"2025-05-11T10:00:00+08:00"}
{"id":"b3","platform":"weibo","text":"说好的风道呢？SU7 Ultra车主在维权","time":"2025-05-12T10:00:00+08:00","reposts":3}
{"id":"b4","platform":"weibo","text":"YU7的机盖风道是虚假宣传","time":"2025-05-12T11:00:00+08:00"}
`

// TestLedgerCmd: items ingested with a watch file that has no claims yet;
// the claim added afterwards applies to them, with no step in between.
func TestLedgerCmd(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	items := write("items.jsonl", ledgerItems)
	before := write("before.yaml", ledgerEntities)
	after := write("after.yaml", ledgerEntities+ledgerClaims)
	if code, _, stderr := runLedgerCLI(t, "", "ingest", "--db", db, "--config", before, "--format", "items", items); code != exitOK {
		t.Fatalf("ingest: exit %d: %s", code, stderr)
	}

	code, out, stderr := runLedgerCLI(t, "", "ledger", "--db", db, "--config", after, "--at", "2025-05-20", "--json")
	if code != exitOK {
		t.Fatalf("ledger: exit %d: %s", code, stderr)
	}
	var rows []struct {
		Claim         string   `json:"claim"`
		Hype          int      `json:"hype"`
		Status        string   `json:"status"`
		EvidenceCount int      `json:"evidence_count"`
		TopEvidence   []string `json:"top_evidence"`
		First         string   `json:"first_contradiction"`
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	// b0 is before the claim, b4 is about another model.
	if len(rows) != 1 || rows[0].Claim != "hood" || rows[0].Hype != 15 || rows[0].Status != "defaulted" || rows[0].EvidenceCount != 3 {
		t.Fatalf("rows = %+v, want hood defaulted on 3 items (hype 15)", rows)
	}
	if !strings.HasPrefix(rows[0].First, "2025-05-10") || rows[0].TopEvidence[0] != "b1" {
		t.Errorf("first contradiction %s, top %v; want 2025-05-10 and b1 (most reach) first", rows[0].First, rows[0].TopEvidence)
	}

	code, out, stderr = runLedgerCLI(t, "", "evidence", "--db", db, "--config", after, "--claim", "hood", "--json")
	if code != exitOK {
		t.Fatalf("evidence: exit %d: %s", code, stderr)
	}
	var ev []struct {
		ItemID string `json:"item_id"`
		Stance string `json:"stance"`
	}
	if err := json.Unmarshal([]byte(out), &ev); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(ev) != 3 || ev[0].ItemID != "b1" || ev[2].Stance != "contradicts" {
		t.Errorf("evidence = %+v, want b1, b2, b3 contradicting", ev)
	}

	if code, _, _ := runLedgerCLI(t, "", "evidence", "--db", db, "--config", after, "--claim", "nope"); code != exitFail {
		t.Errorf("unknown claim: exit %d, want %d", code, exitFail)
	}
	if code, _, _ := runLedgerCLI(t, "", "evidence", "--db", db, "--config", after); code != exitUsage {
		t.Errorf("missing --claim: exit %d, want %d", code, exitUsage)
	}
}

func TestHypeCmd(t *testing.T) {
	code, out, stderr := runLedgerCLI(t, "地表最强，遥遥领先\n\n第一次开电动车\n", "hype", "--json", "-")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var res []struct {
		Text    string `json:"text"`
		Score   int    `json:"score"`
		Reasons []struct {
			Rule string `json:"rule"`
			Span string `json:"span"`
		} `json:"reasons"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(res) != 2 || res[0].Score != 55 || len(res[0].Reasons) != 2 || res[0].Reasons[1].Span != "遥遥领先" || res[1].Score != 0 {
		t.Fatalf("hype = %+v, want 55 with two reasons, then 0", res)
	}
}
