package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"trustwatch"
	"trustwatch/sqlite"
)

// voiceReportFixture writes a store and a watch file: an account that
// posts daily in March 2025, a crowd, replies, and one open alert.
func voiceReportFixture(t *testing.T) (db, config string) {
	t.Helper()
	dir := t.TempDir()
	db, config = filepath.Join(dir, "tw.db"), filepath.Join(dir, "trustwatch.yaml")
	err := os.WriteFile(config, []byte(`timezone: Asia/Shanghai
entities:
  - id: founder
    kind: person
    name: 创始人
    accounts: [创始人本人]
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	loc := trustwatch.DefaultLocation()
	var items []trustwatch.Item
	for d := range 20 {
		at := time.Date(2025, 3, 1+d, 12, 0, 0, 0, loc)
		items = append(items,
			trustwatch.Item{ID: fmt.Sprintf("p%d", d), Platform: "weibo", Kind: trustwatch.KindPost, Author: "创始人本人", Time: at,
				Text: fmt.Sprintf("感谢大家的支持，第%d天我们继续努力，产品越做越好", d), Sentiment: trustwatch.Positive},
			trustwatch.Item{ID: fmt.Sprintf("r%d", d), Platform: "weibo", Kind: trustwatch.KindComment, Author: "路人", ParentID: fmt.Sprintf("p%d", d),
				Time: at.Add(time.Minute), Text: "又来了，熟悉的配方", Sentiment: trustwatch.Negative})
	}
	if _, _, err := st.PutItems(context.Background(), items); err != nil {
		t.Fatal(err)
	}
	err = st.PutAlert(context.Background(), &trustwatch.Alert{ID: "a1", Rule: "r", Kind: "metric.low", Severity: trustwatch.SeverityHigh,
		Opened: time.Date(2025, 3, 5, 9, 0, 0, 0, loc), Updated: time.Date(2025, 3, 5, 9, 0, 0, 0, loc), Value: 36.1,
		Statement: "founder.price 收于 36.1 HKD，创 7 个月新低", Evidence: []trustwatch.Evidence{{ItemID: "p3"}}})
	if err != nil {
		t.Fatal(err)
	}
	return db, config
}

func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestReportCmd(t *testing.T) {
	db, config := voiceReportFixture(t)
	base := []string{"report", "--db", db, "--config", config, "--from", "2025-03-01", "--to", "2025-03-31"}

	code, out, errs := runCmd(t, append(base, "--format", "md", "--base-url", "http://localhost:8080")...)
	if code != 0 {
		t.Fatalf("md: exit %d: %s", code, errs)
	}
	for _, s := range []string{"## 变坏的", "founder.price 收于 [36.1](http://localhost:8080/alerts/a1) HKD，创 [7](http://localhost:8080/alerts/a1) 个月新低（高，创新低；2025-03-05 开启，仍未关闭）", "## 持平或变好的"} {
		if !strings.Contains(out, s) {
			t.Errorf("markdown lacks %q:\n%s", s, out)
		}
	}

	xlsx := filepath.Join(t.TempDir(), "r.xlsx")
	if code, _, errs := runCmd(t, append(base, "-o", xlsx)...); code != 0 {
		t.Fatalf("xlsx: exit %d: %s", code, errs)
	}
	x, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatalf("the format follows -o's extension: %v", err)
	}
	x.Close()

	html := filepath.Join(t.TempDir(), "r.html")
	if code, _, errs := runCmd(t, append(base, "--format", "html", "-o", html)...); code != 0 {
		t.Fatalf("html: exit %d: %s", code, errs)
	}
	if b, err := os.ReadFile(html); err != nil || !bytes.Contains(b, []byte("<!DOCTYPE html>")) {
		t.Errorf("html report not written: %v", err)
	}

	if code, _, _ := runCmd(t, append(base, "--format", "pdf")...); code != exitUsage {
		t.Errorf("--format pdf: exit %d, want %d", code, exitUsage)
	}
}
